#!/usr/bin/env bash
# Passes when a live process is PID 1 of a new PID namespace (its NSpid ends in 1, its pid ns is not
# PID 1's), and pid-ns.txt names that namespace. A typed-in pid-ns.txt names no living namespace.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

# Every namespace that has a living PID 1 of its own; a sandbox holds a few dozen processes at most.
mine=$(readlink /proc/1/ns/pid)
live=" "
for p in /proc/[0-9]*; do
  ns=$(readlink "$p/ns/pid" 2>/dev/null) || continue
  [ "$ns" != "$mine" ] || continue
  [ "$(awk '/^NSpid:/ { print $NF }' "$p/status" 2>/dev/null)" = 1 ] && live="$live$ns "
done
[ "$live" != " " ] || fail "Nenhum processo vivo é o PID 1 de um namespace de PID novo. Abra um shell com unshare --user --map-root-user --pid --fork --mount-proc bash e verifique sem sair dele." \
                           "No living process is PID 1 of a new PID namespace. Open a shell with unshare --user --map-root-user --pid --fork --mount-proc bash and check without leaving it."
f=/root/respostas/pid-ns.txt
[ -s "$f" ] || fail "Falta /root/respostas/pid-ns.txt: de dentro do namespace novo, grave \$\$ na 1ª linha e readlink /proc/self/ns/pid na 2ª." \
                    "/root/respostas/pid-ns.txt is missing: from inside the new namespace, write \$\$ on line 1 and readlink /proc/self/ns/pid on line 2."
l1=$(sed -n 1p "$f" | tr -d '[:space:]')
l2=$(sed -n 2p "$f" | tr -d '[:space:]')
[ "$l1" = 1 ] || fail "A 1ª linha diz que o processo tinha PID \"$l1\", não 1. Use --fork junto com --pid: o primeiro filho no namespace novo é o PID 1." \
                      "Line 1 says the process had PID \"$l1\", not 1. Use --fork together with --pid: the first child in the new namespace is PID 1."
[[ "$live" == *" $l2 "* ]] || fail "A 2ª linha (\"$l2\") não é um namespace de PID em que o seu shell seja o PID 1 agora (vivos:${live% }). Grave-a com readlink /proc/self/ns/pid de dentro do shell novo, sem sair dele." \
                                   "Line 2 (\"$l2\") is not a PID namespace where your shell is PID 1 right now (living:${live% }). Write it with readlink /proc/self/ns/pid from inside the new shell, without leaving it."
msg "Certo: no namespace $l2 seu processo é o PID 1, o início de uma árvore própria. Pode sair com exit." \
    "Right: in namespace $l2 your process is PID 1, the root of a tree of its own. You may leave with exit."
