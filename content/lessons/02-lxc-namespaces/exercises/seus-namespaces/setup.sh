#!/usr/bin/env bash
mkdir -p /root/respostas
rm -f /root/respostas/net-ns.txt /root/respostas/interfaces.txt
