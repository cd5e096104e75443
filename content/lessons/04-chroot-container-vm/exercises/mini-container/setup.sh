#!/usr/bin/env bash
# Prepares a busybox root filesystem in /root/mini and a per-learner host name for the mini container.
set -e
d=/var/lib/curso/mini-container
mkdir -p "$d" /root/exercicios/mini-container
nome="mini-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
echo "$nome" > "$d/nome"
echo "$nome" > /root/exercicios/mini-container/nome.txt
rm -rf /root/mini
mkdir -p /root/mini/bin /root/mini/proc
cp /bin/busybox /root/mini/bin/
chroot /root/mini /bin/busybox --install -s /bin
