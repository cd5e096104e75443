#!/usr/bin/env bash
# By hand: `unshare --user --map-root-user --pid --fork --mount-proc bash`, then inside `ps -ef`,
# write the two lines, check, and `exit`. Here the new PID 1 ends in `sleep`, alive for the check.
mkdir -p /root/respostas
rm -f /root/respostas/pid-ns.txt
ps -ef --forest                          # the container's own tree, before
setsid -f unshare --user --map-root-user --pid --fork --mount-proc \
  bash -c 'ps -ef; { echo $$; readlink /proc/self/ns/pid; } > /root/respostas/pid-ns.txt; exec sleep 3600' </dev/null >/dev/null 2>&1
for _ in $(seq 50); do [ -s /root/respostas/pid-ns.txt ] && break; sleep 0.1; done
cat /root/respostas/pid-ns.txt
