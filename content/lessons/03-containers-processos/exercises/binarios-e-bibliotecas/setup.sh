#!/usr/bin/env bash
# The box starts empty; a per-learner JSON file is what the boxed jq will read.
set -e
mkdir -p /root/exercicios/binarios-e-bibliotecas /var/lib/curso/binarios-e-bibliotecas
rm -rf /root/caixa
segredo=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
echo "$segredo" > /var/lib/curso/binarios-e-bibliotecas/segredo
printf '{"curso": "aprendendo-docker", "segredo": "%s"}\n' "$segredo" > /root/exercicios/binarios-e-bibliotecas/dados.json
