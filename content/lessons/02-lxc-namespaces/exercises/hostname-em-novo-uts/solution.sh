#!/usr/bin/env bash
mkdir -p /root/respostas
nome=$(cat /root/exercicios/hostname-em-novo-uts/nome.txt)
unshare --uts bash -c "hostname $nome; hostname; readlink /proc/self/ns/uts" > /root/respostas/uts.txt
cat /root/respostas/uts.txt
hostname                                 # the parent namespace kept its name
