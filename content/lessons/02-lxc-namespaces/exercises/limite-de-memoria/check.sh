#!/usr/bin/env bash
# Passes when memoria-mib.txt holds this container's cgroup memory limit in MiB AND the kernel has
# killed a process of this cgroup for going over it (the cgroup's own oom_kill counter, which no
# process inside can write: the limit seen acting, not only read).
# Accepts both cgroup layouts: v2 (memory.max, memory.events) and v1 (memory/memory.limit_in_bytes, memory.oom_control).
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

if [ -r /sys/fs/cgroup/memory.max ]; then raw=$(cat /sys/fs/cgroup/memory.max); events=/sys/fs/cgroup/memory.events
elif [ -r /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then raw=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes); events=/sys/fs/cgroup/memory/memory.oom_control
else fail "Não achei o arquivo de limite de memória do cgroup neste sistema; avise o instrutor." \
          "Could not find the cgroup memory limit file on this system; tell the instructor."
fi
f=/root/respostas/memoria-mib.txt
[ -s "$f" ] || fail "Falta /root/respostas/memoria-mib.txt: grave nele o limite de memória do seu cgroup em MiB (bytes ÷ 1048576)." \
                    "/root/respostas/memoria-mib.txt is missing: write your cgroup's memory limit into it, in MiB (bytes ÷ 1048576)."
got=$(tr -d '[:space:]' < "$f")
if [ "$raw" = max ] || [ "${#raw}" -ge 18 ]; then
  case "${got,,}" in max|ilimitado|unlimited) ok=1 ;; *) ok=0 ;; esac
  [ "$ok" = 1 ] || fail "Este container não tem limite de memória: escreva ilimitado." "This container has no memory limit: write unlimited."
  msg "Certo: este container não tem limite de memória." "Right: this container has no memory limit."
  exit 0
fi
[[ "$got" =~ ^[0-9]+$ ]] || fail "memoria-mib.txt deve conter só um número inteiro (em MiB), mas contém \"$got\"." \
                                 "memoria-mib.txt must hold a single whole number (in MiB), but it holds \"$got\"."
want=$(( raw / 1048576 ))
if [ "$got" = "$raw" ]; then
  fail "Esse é o valor em bytes. Converta para MiB: divida por 1048576 (1024 × 1024)." "That is the value in bytes. Convert it to MiB: divide by 1048576 (1024 × 1024)."
fi
[ "$got" = "$want" ] || [ "$got" = $(( (raw + 524288) / 1048576 )) ] || fail "O limite não é $got MiB. Leia o arquivo do cgroup de novo (v2: /sys/fs/cgroup/memory.max; v1: /sys/fs/cgroup/memory/memory.limit_in_bytes)." \
                     "The limit is not $got MiB. Read the cgroup file again (v2: /sys/fs/cgroup/memory.max; v1: /sys/fs/cgroup/memory/memory.limit_in_bytes)."
kills=$(awk '$1 == "oom_kill" { print $2 }' "$events" 2>/dev/null)
[ "${kills:-0}" -ge 1 ] 2>/dev/null || fail "O limite está certo ($got MiB), mas você ainda não o viu agir: o contador oom_kill em $events está em ${kills:-0}. Rode um processo que peça mais que $got MiB (veja as dicas) e confira o contador de novo." \
  "The limit is right ($got MiB), but you have not seen it act yet: the oom_kill counter in $events is ${kills:-0}. Run a process that asks for more than $got MiB (see the hints) and read the counter again."
msg "Certo: o kernel limita este container a $got MiB e já matou $kills processo(s) que passaram disso (oom_kill = $kills)." \
    "Right: the kernel caps this container at $got MiB and has killed $kills process(es) that went over it (oom_kill = $kills)."
