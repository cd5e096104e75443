#!/usr/bin/env bash
set -e
cd /root/camadas
if ! findmnt merged >/dev/null; then      # mount the stack if the previous exercise's mount is gone
  findmnt rw >/dev/null || mount -t tmpfs tmpfs rw
  mkdir -p rw/upper rw/work
  mount -t overlay overlay -o lowerdir=/root/camadas/app:/root/camadas/base,upperdir=/root/camadas/rw/upper,workdir=/root/camadas/rw/work merged
fi
echo modo=producao >> merged/app/config.txt   # copy-up: the whole file is copied to upper, then changed
rm -f merged/app/temporario.txt                  # whiteout: a 0,0 character device hides the lower file
ls -l rw/upper/app | tee /root/respostas/whiteout.txt
cat app/app/config.txt; ls app/app            # the lower layer is unchanged
