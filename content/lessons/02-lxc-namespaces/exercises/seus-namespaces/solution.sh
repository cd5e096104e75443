#!/usr/bin/env bash
mkdir -p /root/respostas
ls -l /proc/self/ns                      # one link per namespace this process lives in
readlink /proc/self/ns/net > /root/respostas/net-ns.txt
ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' > /root/respostas/interfaces.txt
cat /root/respostas/interfaces.txt
