#!/usr/bin/env bash
# The typed-in answer: a common memory limit, guessed instead of read from the cgroup.
mkdir -p /root/respostas
echo 512 > /root/respostas/memoria-mib.txt
