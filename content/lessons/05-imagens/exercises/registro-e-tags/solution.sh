#!/usr/bin/env bash
mkdir -p /root/respostas
curso registry start
docker tag ola:1 localhost:5000/ola:1
docker push localhost:5000/ola:1
skopeo inspect --format '{{.Digest}}' docker://localhost:5000/ola:1 > /root/respostas/digest-antigo.txt
cat /root/respostas/digest-antigo.txt
# A change, the same tag: a new image, a new digest.
echo mais >> /root/ola/mensagem.txt
cd /root/ola && docker build -t ola:1 .
docker tag ola:1 localhost:5000/ola:1
docker push localhost:5000/ola:1
skopeo inspect --format '{{.Digest}}' docker://localhost:5000/ola:1
