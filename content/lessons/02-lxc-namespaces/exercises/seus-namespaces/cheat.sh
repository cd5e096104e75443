#!/usr/bin/env bash
# The typed-in answer: the example id from the goal and the interface a learner expects.
mkdir -p /root/respostas
echo 'net:[4026532182]' > /root/respostas/net-ns.txt
echo lo > /root/respostas/interfaces.txt
