#!/usr/bin/env bash
mkdir -p /root/respostas
n=$(cat /root/exercicios/verificar-camada/camada.txt)
m=$(jq -r '.manifests[0].digest' /oci/index.json | cut -d: -f2)
d=$(jq -r ".layers[$((n - 1))].digest" /oci/blobs/sha256/$m | cut -d: -f2)
echo "manifest says layer $n is sha256:$d"
sha256sum /oci/blobs/sha256/$d | tee /root/respostas/camada-sha256.txt
zcat /oci/blobs/sha256/$d | sha256sum | tee /root/respostas/camada-diffid.txt
c=$(jq -r '.config.digest' /oci/blobs/sha256/$m | cut -d: -f2)
jq -r ".rootfs.diff_ids[$((n - 1))]" /oci/blobs/sha256/$c
a=$(cat /root/exercicios/verificar-camada/arquivo.txt)
zcat /oci/blobs/sha256/$d | tar -xOf - "$a" | sha256sum | tee /root/respostas/arquivo-sha256.txt
