#!/usr/bin/env bash
# Reuses the layers of the previous exercise (or makes them), and remembers what the lower layer
# held, to prove later that writes never touched it.
set -e
d=/var/lib/curso/copy-up-e-whiteout
mkdir -p "$d" /root/camadas/merged /root/camadas/rw
if [ ! -f /root/camadas/app/app/config.txt ] || [ ! -f /root/camadas/app/app/temporario.txt ]; then
  if [ "$(findmnt -n -o FSTYPE --mountpoint /root/camadas/merged)" = overlay ]; then umount /root/camadas/merged; fi
  mkdir -p /root/camadas/base/etc /root/camadas/app/etc /root/camadas/app/app
  echo "debian" > /root/camadas/base/etc/so.txt
  echo "mensagem da camada base" > /root/camadas/base/etc/mensagem.txt
  echo "mensagem da camada app" > /root/camadas/app/etc/mensagem.txt
  echo "porta=$(( 8000 + $(od -An -N1 -tu1 /dev/urandom | tr -d ' ') ))" > /root/camadas/app/app/config.txt
  echo "arquivo temporário do build" > /root/camadas/app/app/temporario.txt
fi
mkdir -p /root/respostas; rm -f /root/respostas/whiteout.txt
sha256sum /root/camadas/app/app/config.txt | cut -d' ' -f1 > "$d/config.sha256"
