#!/usr/bin/env bash
# The typed-in answer: the usual guesses for PID 1 and the host name, without looking.
mkdir -p /root/respostas
echo systemd > /root/respostas/pid1.txt
echo localhost > /root/respostas/hostname.txt
