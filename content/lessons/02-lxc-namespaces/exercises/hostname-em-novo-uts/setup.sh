#!/usr/bin/env bash
# Each learner gets their own island name, so answers cannot be copied.
set -e
d=/var/lib/curso/hostname-em-novo-uts
mkdir -p "$d" /root/exercicios/hostname-em-novo-uts /root/respostas
nome="ilha-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
echo "$nome" > "$d/nome"
[ -s "$d/original" ] || hostname > "$d/original"   # to tell the learner how to undo a rename of the container itself
echo "$nome" > /root/exercicios/hostname-em-novo-uts/nome.txt
rm -f /root/respostas/uts.txt
