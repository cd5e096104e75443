#!/usr/bin/env bash
mkdir -p /root/respostas
uname -r                               # the kernel release, as the kernel itself reports it
uname -r > /root/respostas/kernel.txt
cat /proc/sys/kernel/random/boot_id > /root/respostas/boot-id.txt   # drawn by the kernel when it booted
