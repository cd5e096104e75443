#!/usr/bin/env bash
mkdir -p /root/respostas
ps -ef --forest                          # the container's own tree, before
unshare --user --map-root-user --pid --fork --mount-proc \
  bash -c 'ps -ef; echo $$; readlink /proc/self/ns/pid' | tee /dev/stderr | tail -n 2 > /root/respostas/pid-ns.txt
cat /root/respostas/pid-ns.txt
