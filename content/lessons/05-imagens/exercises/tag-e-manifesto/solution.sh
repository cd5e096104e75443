#!/usr/bin/env bash
mkdir -p /root/respostas
cat /oci/index.json | jq .
jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' /oci/index.json > /root/respostas/tag.txt
jq -r '.manifests[0].digest' /oci/index.json > /root/respostas/manifesto.txt
m=$(cut -d: -f2 /root/respostas/manifesto.txt)
jq . /oci/blobs/sha256/$m                # the manifest: config + layers, bottom to top
n=$(cat /root/exercicios/tag-e-manifesto/camada.txt)
jq -r ".layers[$((n - 1))].size" /oci/blobs/sha256/$m > /root/respostas/tamanho.txt
