#!/usr/bin/env bash
# The typed-in answer: the jail's files copied in and the listing written from outside: nobody ever went inside.
mkdir -p /root/respostas
mkdir -p /root/prisao/bin
cp /bin/busybox /root/prisao/bin/
ln -sf busybox /root/prisao/bin/sh
ls /root/prisao > /root/prisao/dentro.txt
