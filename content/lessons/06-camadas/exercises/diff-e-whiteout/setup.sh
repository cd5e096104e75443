#!/usr/bin/env bash
mkdir -p /root/respostas
rm -f /root/respostas/whiteout-no-tar.txt
docker rm -f rascunho >/dev/null 2>&1 || true
docker rmi -f rascunho:1 >/dev/null 2>&1 || true
