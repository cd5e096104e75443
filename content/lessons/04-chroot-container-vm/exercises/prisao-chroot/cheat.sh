#!/usr/bin/env bash
# The typed-in answer: the jail's files copied in and the listing written from outside: nobody ever
# went inside. The jail keeps a /proc mounted, as the lesson's warning leaves it: the check must not
# walk it (it used to, and timed out).
mkdir -p /root/respostas
mkdir -p /root/prisao/bin /root/prisao/proc
cp /bin/busybox /root/prisao/bin/
ln -sf busybox /root/prisao/bin/sh
findmnt /root/prisao/proc >/dev/null || mount -t proc proc /root/prisao/proc
ls /root/prisao > /root/prisao/dentro.txt
