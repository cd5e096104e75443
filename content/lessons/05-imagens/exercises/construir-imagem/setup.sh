#!/usr/bin/env bash
# A folder with a message only this learner has: the image must carry it, so only a real build passes.
mkdir -p /root/ola /var/lib/curso/construir-imagem
rm -f /root/ola/Dockerfile
token="ola-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
echo "$token" > /var/lib/curso/construir-imagem/esperado
echo "Olá! Esta imagem é de $token." > /root/ola/mensagem.txt
docker rmi -f ola:1 >/dev/null 2>&1 || true
