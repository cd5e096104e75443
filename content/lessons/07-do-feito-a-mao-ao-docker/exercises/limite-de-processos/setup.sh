#!/usr/bin/env bash
mkdir -p /root/respostas
rm -f /root/respostas/pids-max.txt
