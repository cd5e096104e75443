#!/usr/bin/env bash
# The typed-in answer: the app layer's message copied straight from the folder, no overlay mounted.
mkdir -p /root/respostas
cp /root/camadas/app/etc/mensagem.txt /root/respostas/mensagem.txt
