#!/usr/bin/env bash
# Passes when pid-ns.txt was written by a process that was PID 1 of a new PID namespace.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

f=/root/respostas/pid-ns.txt
[ -s "$f" ] || fail "Falta /root/respostas/pid-ns.txt: dentro de unshare --pid, grave \$\$ na 1ª linha e readlink /proc/self/ns/pid na 2ª." \
                    "/root/respostas/pid-ns.txt is missing: inside unshare --pid, write \$\$ on line 1 and readlink /proc/self/ns/pid on line 2."
l1=$(sed -n 1p "$f" | tr -d '[:space:]')
l2=$(sed -n 2p "$f" | tr -d '[:space:]')
[ "$l1" = 1 ] || fail "A 1ª linha diz que o processo tinha PID \"$l1\", não 1. Use --fork junto com --pid: o primeiro filho no namespace novo é o PID 1." \
                      "Line 1 says the process had PID \"$l1\", not 1. Use --fork together with --pid: the first child in the new namespace is PID 1."
[[ "$l2" =~ ^pid:\[[0-9]+\]$ ]] || fail "A 2ª linha deveria ser algo como pid:[4026532201] (saída de readlink /proc/self/ns/pid)." \
                                        "Line 2 should look like pid:[4026532201] (the output of readlink /proc/self/ns/pid)."
[ "$l2" != "$(readlink /proc/self/ns/pid)" ] || fail "$l2 é o namespace de PID do próprio container; crie um novo com unshare --pid --fork." \
                                                     "$l2 is the container's own PID namespace; make a new one with unshare --pid --fork."
msg "Certo: no namespace $l2 seu processo era o PID 1, o início de uma árvore própria." \
    "Right: in namespace $l2 your process was PID 1, the root of a tree of its own."
