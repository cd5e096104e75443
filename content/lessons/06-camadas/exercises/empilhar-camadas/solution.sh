#!/usr/bin/env bash
set -e
cd /root/camadas
mount -t tmpfs tmpfs rw                  # the writable layer lives on a tmpfs
mkdir -p rw/upper rw/work
mount -t overlay overlay -o lowerdir=/root/camadas/app:/root/camadas/base,upperdir=/root/camadas/rw/upper,workdir=/root/camadas/rw/work merged
findmnt merged
tree merged
cat merged/etc/mensagem.txt | tee /root/respostas/mensagem.txt
