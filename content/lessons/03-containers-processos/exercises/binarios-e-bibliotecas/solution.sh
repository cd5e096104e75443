#!/usr/bin/env bash
ldd /usr/bin/jq                          # the shared libraries and the dynamic loader jq needs
mkdir -p /root/caixa/usr/bin
cp /usr/bin/jq /root/caixa/usr/bin/
for lib in $(ldd /usr/bin/jq | grep -o '/[^ ]*'); do
  mkdir -p "/root/caixa$(dirname "$lib")"
  cp -L "$lib" "/root/caixa$lib"
done
find /root/caixa -type f
chroot /root/caixa /usr/bin/jq -r .segredo < /root/exercicios/binarios-e-bibliotecas/dados.json
