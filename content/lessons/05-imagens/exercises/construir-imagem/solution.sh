#!/usr/bin/env bash
cd /root/ola
cat > Dockerfile <<'DOCKERFILE'
FROM busybox
COPY mensagem.txt /mensagem.txt
CMD ["cat", "/mensagem.txt"]
DOCKERFILE
docker build -t ola:1 .
docker run --rm ola:1
docker history ola:1
