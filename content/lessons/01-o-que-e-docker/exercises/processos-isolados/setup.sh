#!/usr/bin/env bash
mkdir -p /root/respostas
rm -f /root/respostas/pid1.txt /root/respostas/hostname.txt
