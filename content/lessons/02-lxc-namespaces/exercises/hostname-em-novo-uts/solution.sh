#!/usr/bin/env bash
# By hand: `unshare --uts bash`, then inside `hostname NAME`, write the two lines, check, and `exit`.
# Non-interactively, the new namespace's shell ends in `sleep` so it stays alive for the check.
mkdir -p /root/respostas
rm -f /root/respostas/uts.txt
nome=$(cat /root/exercicios/hostname-em-novo-uts/nome.txt)
setsid -f unshare --uts bash -c "hostname $nome; { hostname; readlink /proc/self/ns/uts; } > /root/respostas/uts.txt; exec sleep 3600" </dev/null >/dev/null 2>&1
for _ in $(seq 50); do [ -s /root/respostas/uts.txt ] && break; sleep 0.1; done
cat /root/respostas/uts.txt
hostname                                 # the parent namespace kept its name
