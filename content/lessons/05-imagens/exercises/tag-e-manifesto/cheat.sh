#!/usr/bin/env bash
# The typed-in answer: a default tag, and digest and size read from the wrong places.
mkdir -p /root/respostas
echo latest > /root/respostas/tag.txt
sha256sum /oci/index.json > /root/respostas/manifesto.txt
jq -r '.manifests[0].size' /oci/index.json > /root/respostas/tamanho.txt
