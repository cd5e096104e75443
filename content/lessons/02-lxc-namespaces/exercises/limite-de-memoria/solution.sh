#!/usr/bin/env bash
mkdir -p /root/respostas
# cgroup v2 keeps the limit in memory.max; cgroup v1 in memory/memory.limit_in_bytes
if [ -r /sys/fs/cgroup/memory.max ]; then f=/sys/fs/cgroup/memory.max
else f=/sys/fs/cgroup/memory/memory.limit_in_bytes; fi
bytes=$(cat "$f")
echo "$f: $bytes"
echo $(( bytes / 1024 / 1024 )) > /root/respostas/memoria-mib.txt
