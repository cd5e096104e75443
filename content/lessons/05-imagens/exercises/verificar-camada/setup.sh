#!/usr/bin/env bash
# Picks a layer number for this learner: both of its digests are the answer.
set -e
d=/var/lib/curso/verificar-camada
mkdir -p "$d" /root/exercicios/verificar-camada /root/respostas
m=$(jq -r '.manifests[0].digest' /oci/index.json | sed 's/^sha256://')
total=$(jq '.layers | length' "/oci/blobs/sha256/$m")
n=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % total + 1 ))
echo "$n" > "$d/camada"
echo "$n" > /root/exercicios/verificar-camada/camada.txt
rm -f /root/respostas/camada-sha256.txt /root/respostas/camada-diffid.txt
