#!/usr/bin/env bash
# The typed-in answer: a digest-looking string, and no push at all.
mkdir -p /root/respostas
echo "sha256:$(printf 'a%.0s' $(seq 64))" > /root/respostas/digest-antigo.txt
