#!/usr/bin/env bash
# Passes when pids-max.txt holds this container's process limit AND the kernel has refused a fork
# for going over it (the cgroup's own pids.events "max" counter, which nothing inside can write).
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

if [ -r /sys/fs/cgroup/pids/pids.max ]; then d=/sys/fs/cgroup/pids
elif [ -r /sys/fs/cgroup/pids.max ]; then d=/sys/fs/cgroup
else fail "Não achei o limite de processos do cgroup neste sistema; avise o instrutor." "Could not find the cgroup's process limit on this system; tell the instructor."
fi
limit=$(cat "$d/pids.max")
f=/root/respostas/pids-max.txt
[ -s "$f" ] || fail "Falta /root/respostas/pids-max.txt: grave nele o limite de processos do seu cgroup (pids.max)." \
                    "/root/respostas/pids-max.txt is missing: write your cgroup's process limit (pids.max) into it."
got=$(tr -d '[:space:]' < "$f")
[ "$got" = "$limit" ] || fail "pids-max.txt diz \"$got\", mas o limite deste container não é esse. Leia $d/pids.max." \
                              "pids-max.txt says \"$got\", but that is not this container's limit. Read $d/pids.max."
refused=$(awk '$1 == "max" { print $2 }' "$d/pids.events" 2>/dev/null)
[ "${refused:-0}" -ge 1 ] 2>/dev/null || fail "O limite está certo ($limit), mas o kernel ainda não recusou nenhum processo: o contador max em $d/pids.events está em ${refused:-0}. Inicie mais de $limit processos de uma vez (veja as dicas)." \
  "The limit is right ($limit), but the kernel has not refused any process yet: the max counter in $d/pids.events is ${refused:-0}. Start more than $limit processes at once (see the hints)."
msg "Certo: o limite é $limit processos, e o kernel já recusou $refused fork(s) que passariam dele." \
    "Right: the limit is $limit processes, and the kernel has refused $refused fork(s) that would go over it."
