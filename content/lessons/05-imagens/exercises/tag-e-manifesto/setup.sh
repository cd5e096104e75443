#!/usr/bin/env bash
# Picks a layer number for this learner: its size is part of the answer.
set -e
d=/var/lib/curso/tag-e-manifesto
mkdir -p "$d" /root/exercicios/tag-e-manifesto /root/respostas
m=$(jq -r '.manifests[0].digest' /oci/index.json | sed 's/^sha256://')
total=$(jq '.layers | length' "/oci/blobs/sha256/$m")
n=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % total + 1 ))
echo "$n" > "$d/camada"
echo "$n" > /root/exercicios/tag-e-manifesto/camada.txt
rm -f /root/respostas/tag.txt /root/respostas/manifesto.txt /root/respostas/tamanho.txt
