#!/usr/bin/env bash
# The typed-in answer: the right limit, read from the cgroup, but never seen acting (no process went over it).
mkdir -p /root/respostas
if [ -r /sys/fs/cgroup/memory.max ]; then f=/sys/fs/cgroup/memory.max; else f=/sys/fs/cgroup/memory/memory.limit_in_bytes; fi
echo $(( $(cat "$f") / 1048576 )) > /root/respostas/memoria-mib.txt
