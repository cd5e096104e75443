#!/usr/bin/env bash
mkdir -p /root/respostas
docker rm -f rascunho >/dev/null 2>&1
docker run --name rascunho busybox sh -c 'rm /bin/vi; mkdir -p /root; echo oi > /root/nota.txt'
docker diff rascunho                      # D /bin/vi, A /root/nota.txt (and C for their folders)
docker commit rascunho rascunho:1
docker save rascunho:1 -o /tmp/r.tar
top=$(tar xOf /tmp/r.tar manifest.json | jq -r '.[0].Layers[-1]')
tar xOf /tmp/r.tar "$top" | tar t         # the whiteout is an empty .wh.vi file in bin/
tar xOf /tmp/r.tar "$top" | tar t | grep '\.wh\.vi$' > /root/respostas/whiteout-no-tar.txt
rm -f /tmp/r.tar
