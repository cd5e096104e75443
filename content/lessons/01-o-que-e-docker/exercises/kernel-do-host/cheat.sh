#!/usr/bin/env bash
# The typed-in answer: a plausible Debian kernel release, guessed instead of asking the kernel.
mkdir -p /root/respostas
echo 6.1.0-18-amd64 > /root/respostas/kernel.txt
