#!/usr/bin/env bash
# Picks a layer number and a file inside that layer for this learner. The digests of the layer are
# printed in the metadata; the hash of the file's contents is not: only opening the blob gives it.
set -e
d=/var/lib/curso/verificar-camada
mkdir -p "$d" /root/exercicios/verificar-camada /root/respostas
m=$(jq -r '.manifests[0].digest' /oci/index.json | sed 's/^sha256://')
total=$(jq '.layers | length' "/oci/blobs/sha256/$m")
n=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % total + 1 ))
blob=/oci/blobs/sha256/$(jq -r ".layers[$((n - 1))].digest" "/oci/blobs/sha256/$m" | sed 's/^sha256://')
# A non-empty regular file of the layer, named without spaces (shuf: a different one per learner).
arquivo=$(zcat "$blob" | tar -tvf - | awk '$1 ~ /^-/ && $3 > 0 && NF == 6 { print $6 }' | shuf -n 1)
[ -n "$arquivo" ]
zcat "$blob" | tar -xOf - "$arquivo" | sha256sum | cut -d' ' -f1 > "$d/arquivo.sha256"
echo "$n" > "$d/camada"
echo "$n" > /root/exercicios/verificar-camada/camada.txt
echo "$arquivo" > /root/exercicios/verificar-camada/arquivo.txt
rm -f /root/respostas/camada-sha256.txt /root/respostas/camada-diffid.txt /root/respostas/arquivo-sha256.txt
