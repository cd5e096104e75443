#!/usr/bin/env bash
mkdir -p /root/respostas
pid=$(pgrep -xf 'sleep 3601' | head -n1)
ls -l /proc/"$pid"/ns                          # other namespaces than your shell's
nsenter -t "$pid" -u -p --mount ps -e -o pid,comm   # its world: sleep is PID 1 there
nsenter -t "$pid" -u hostname > /root/respostas/caixa-hostname.txt
