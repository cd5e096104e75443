#!/usr/bin/env bash
# By hand: `unshare --uts --pid --mount --fork bash`, then the lines below one by one, check, `exit`.
# Here the mini container's shell ends in `sleep`, so it is alive for the check.
nome=$(cat /root/exercicios/mini-container/nome.txt)
rm -f /root/mini/resultado.txt
setsid -f unshare --uts --pid --mount --fork bash -c '
  mount --bind /root/mini /root/mini      # pivot_root wants the new root to be a mount point
  cd /root/mini && mkdir -p velha
  pivot_root . velha                      # / is now the mini folder; the old root hangs on /velha
  exec /bin/sh -c "mount -t proc proc /proc; umount -l /velha; rmdir /velha; hostname $0
    echo \"\$(hostname) \$\$ \$(ps | tail -n +2 | wc -l)\" > /resultado.txt; exec sleep 3600"
' "$nome" </dev/null >/dev/null 2>&1
for _ in $(seq 50); do [ -s /root/mini/resultado.txt ] && break; sleep 0.1; done
cat /root/mini/resultado.txt
hostname                                 # outside, the name did not change
