#!/usr/bin/env bash
mkdir -p /root/respostas
if [ -r /sys/fs/cgroup/pids/pids.max ]; then d=/sys/fs/cgroup/pids; else d=/sys/fs/cgroup; fi
limit=$(cat "$d/pids.max")
echo "$limit" > /root/respostas/pids-max.txt
# More short sleeps than the limit allows, in a subshell: a script's bash gives up at the refused
# fork (an interactive one only says "fork: retry"), and the sleeps end by themselves in 2 s.
( for i in $(seq 1 $(( limit + 20 ))); do sleep 2 & done ) 2>/dev/null
# Wait with builtins only: until those sleeps end, a fork here could be refused too.
SECONDS=0
while (( SECONDS < 4 )); do :; done
cat "$d/pids.events"
