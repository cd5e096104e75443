#!/usr/bin/env bash
# By hand: build the jail, `chroot /root/prisao /bin/sh`, run the commands inside, check, `exit`.
# Here the jailed shell ends in `sleep`, so a jailed process is alive for the check.
mkdir -p /root/prisao/bin
cp /bin/busybox /root/prisao/bin/        # static: needs no libraries inside the jail
chroot /root/prisao /bin/busybox --install -s /bin
chroot /root/prisao /bin/sh -c 'ls / > /dentro.txt; cat /dentro.txt; cat /root/exercicios/prisao-chroot/segredo.txt || echo "o segredo sumiu / the secret is gone"'
setsid -f chroot /root/prisao /bin/sh -c 'exec sleep 3600' </dev/null >/dev/null 2>&1
sleep 0.2
