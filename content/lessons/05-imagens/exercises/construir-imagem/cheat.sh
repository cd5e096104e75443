#!/usr/bin/env bash
# The typed-in answer: no build, only a tag: busybox renamed ola:1.
docker tag busybox ola:1
