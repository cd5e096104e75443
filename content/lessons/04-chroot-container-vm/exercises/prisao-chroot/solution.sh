#!/usr/bin/env bash
mkdir -p /root/prisao/bin
cp /bin/busybox /root/prisao/bin/        # static: needs no libraries inside the jail
chroot /root/prisao /bin/busybox --install -s /bin
chroot /root/prisao /bin/sh -c 'ls / > /dentro.txt; cat /dentro.txt; cat /root/exercicios/prisao-chroot/segredo.txt || echo "o segredo sumiu / the secret is gone"'
