#!/usr/bin/env bash
# Two lower layers with per-learner contents: "app" overrides a file of "base".
set -e
d=/var/lib/curso/empilhar-camadas
umount /root/camadas/merged 2>/dev/null || true
umount /root/camadas/rw 2>/dev/null || true
rm -rf /root/camadas
mkdir -p "$d" /root/camadas/base/etc /root/camadas/app/etc /root/camadas/app/app /root/camadas/merged /root/camadas/rw /root/respostas
r() { od -An -N3 -tx1 /dev/urandom | tr -d ' \n'; }
echo "debian" > /root/camadas/base/etc/so.txt
echo "mensagem da camada base $(r)" > /root/camadas/base/etc/mensagem.txt
echo "mensagem da camada app $(r)" > /root/camadas/app/etc/mensagem.txt
echo "porta=$(( 8000 + $(od -An -N1 -tu1 /dev/urandom | tr -d ' ') ))" > /root/camadas/app/app/config.txt
echo "arquivo temporário do build" > /root/camadas/app/app/temporario.txt
cp /root/camadas/app/etc/mensagem.txt "$d/mensagem"
rm -f /root/respostas/mensagem.txt
