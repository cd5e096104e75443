#!/usr/bin/env bash
# The typed-in answer: the right limit, read from the cgroup, but never hit.
mkdir -p /root/respostas
cat /sys/fs/cgroup/pids/pids.max 2>/dev/null > /root/respostas/pids-max.txt || cat /sys/fs/cgroup/pids.max > /root/respostas/pids-max.txt
