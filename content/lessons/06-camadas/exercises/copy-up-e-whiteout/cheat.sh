#!/usr/bin/env bash
# The typed-in answer: an ls -l line typed to look like a whiteout, files left untouched.
mkdir -p /root/respostas
echo 'c--------- 1 root root 0, 0 Jan  1 00:00 temporario.txt' > /root/respostas/whiteout.txt
