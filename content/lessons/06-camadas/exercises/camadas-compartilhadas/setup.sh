#!/usr/bin/env bash
mkdir -p /root/respostas
rm -f /root/respostas/camada-comum.txt
docker rmi -f camada-a:1 camada-b:1 >/dev/null 2>&1 || true
