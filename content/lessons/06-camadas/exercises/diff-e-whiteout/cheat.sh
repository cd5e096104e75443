#!/usr/bin/env bash
# The typed-in answer: the path the lesson's reader would expect, without any container or commit.
mkdir -p /root/respostas
echo bin/.wh.vi > /root/respostas/whiteout-no-tar.txt
