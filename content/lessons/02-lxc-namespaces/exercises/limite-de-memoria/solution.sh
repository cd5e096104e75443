#!/usr/bin/env bash
mkdir -p /root/respostas
# cgroup v2 keeps the limit in memory.max and its kills in memory.events; v1 in memory/…
if [ -r /sys/fs/cgroup/memory.max ]; then f=/sys/fs/cgroup/memory.max; events=/sys/fs/cgroup/memory.events
else f=/sys/fs/cgroup/memory/memory.limit_in_bytes; events=/sys/fs/cgroup/memory/memory.oom_control; fi
bytes=$(cat "$f")
echo "$f: $bytes"
mib=$(( bytes / 1024 / 1024 ))
echo "$mib" > /root/respostas/memoria-mib.txt
# Ask for 64 MiB more than the limit: tail keeps all it reads until a newline, and /dev/zero has none.
# The hog volunteers to be the one killed (oom_score_adj 1000), so the shell is left alone.
bash -c "echo 1000 > /proc/self/oom_score_adj; head -c $(( mib + 64 ))M /dev/zero | tail > /dev/null" || true
grep oom_kill "$events"
