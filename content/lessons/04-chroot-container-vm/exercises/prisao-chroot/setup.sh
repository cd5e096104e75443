#!/usr/bin/env bash
# A per-learner secret outside the jail: from inside it must be unreachable.
set -e
mkdir -p /root/exercicios/prisao-chroot /var/lib/curso/prisao-chroot
rm -rf /root/prisao
s=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
echo "$s" > /var/lib/curso/prisao-chroot/segredo
echo "$s" > /root/exercicios/prisao-chroot/segredo.txt
