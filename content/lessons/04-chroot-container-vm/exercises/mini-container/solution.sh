#!/usr/bin/env bash
nome=$(cat /root/exercicios/mini-container/nome.txt)
unshare --uts --pid --mount --fork chroot /root/mini /bin/sh -c "
  mount -t proc proc /proc
  hostname $nome
  ps
  echo \"\$(hostname) \$\$ \$(ps | tail -n +2 | wc -l)\" > /resultado.txt
"
cat /root/mini/resultado.txt
hostname                                 # outside, the name did not change
