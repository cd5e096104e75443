#!/usr/bin/env bash
# The local registry, and no old answer.
mkdir -p /root/respostas
rm -f /root/respostas/digest-antigo.txt
curso registry start >/dev/null 2>&1 || true
