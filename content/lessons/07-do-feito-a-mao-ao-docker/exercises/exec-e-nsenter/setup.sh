#!/usr/bin/env bash
# A hand-made container: sleep 3601 in new UTS and PID namespaces, with a host name drawn inside
# (the name is on no command line and in no file: only entering the namespace shows it).
mkdir -p /root/respostas
rm -f /root/respostas/caixa-hostname.txt
pkill -xf 'sleep 3601' 2>/dev/null
setsid unshare --uts --pid --fork --mount-proc sh -c \
  'hostname "caixa-$(od -An -N4 -tx1 /dev/urandom | tr -d " \n")"; exec sleep 3601' </dev/null >/dev/null 2>&1 &
for _ in $(seq 50); do pgrep -xf 'sleep 3601' >/dev/null && break; sleep 0.1; done
