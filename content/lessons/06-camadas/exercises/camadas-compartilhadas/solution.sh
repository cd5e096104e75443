#!/usr/bin/env bash
mkdir -p /root/a /root/b /root/respostas
printf 'FROM busybox\nRUN echo a > /a.txt\n' > /root/a/Dockerfile
printf 'FROM busybox\nRUN echo b > /b.txt\n' > /root/b/Dockerfile
docker build -t camada-a:1 /root/a
docker build -t camada-b:1 /root/b
docker inspect --format '{{json .RootFS.Layers}}' camada-a:1 camada-b:1
docker inspect --format '{{index .RootFS.Layers 0}}' camada-a:1 > /root/respostas/camada-comum.txt
