#!/usr/bin/env bash
# Starts clean: the answer folder exists and holds no old answer.
mkdir -p /root/respostas
rm -f /root/respostas/kernel.txt /root/respostas/boot-id.txt
