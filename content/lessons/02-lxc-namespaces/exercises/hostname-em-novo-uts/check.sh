#!/usr/bin/env bash
# Passes when uts.txt was written from a new UTS namespace whose host name is the learner's
# island name, while this (parent) namespace kept its own name.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

nome=$(cat /var/lib/curso/hostname-em-novo-uts/nome 2>/dev/null) || fail "O exercício não foi preparado; recarregue a página." "The exercise was not set up; reload the page."
if [ "$(hostname)" = "$nome" ]; then
  fail "Você trocou o nome do próprio container! Volte com hostname $(cat /var/lib/curso/hostname-em-novo-uts/original 2>/dev/null) e faça a troca dentro de unshare --uts." \
       "You renamed the container itself! Put it back with hostname $(cat /var/lib/curso/hostname-em-novo-uts/original 2>/dev/null) and do the rename inside unshare --uts."
fi
f=/root/respostas/uts.txt
[ -s "$f" ] || fail "Falta /root/respostas/uts.txt: dentro de unshare --uts, grave a saída de hostname e de readlink /proc/self/ns/uts." \
                    "/root/respostas/uts.txt is missing: inside unshare --uts, write the output of hostname and of readlink /proc/self/ns/uts into it."
l1=$(sed -n 1p "$f" | tr -d '[:space:]')
l2=$(sed -n 2p "$f" | tr -d '[:space:]')
[ "$l1" = "$nome" ] || fail "A 1ª linha de uts.txt deveria ser o nome $nome (de /root/exercicios/hostname-em-novo-uts/nome.txt), mas é \"$l1\"." \
                            "Line 1 of uts.txt should be the name $nome (from /root/exercicios/hostname-em-novo-uts/nome.txt), but it is \"$l1\"."
[[ "$l2" =~ ^uts:\[[0-9]+\]$ ]] || fail "A 2ª linha de uts.txt deveria ser algo como uts:[4026531838] (saída de readlink /proc/self/ns/uts)." \
                                        "Line 2 of uts.txt should look like uts:[4026531838] (the output of readlink /proc/self/ns/uts)."
[ "$l2" != "$(readlink /proc/self/ns/uts)" ] || fail "Esse $l2 é o namespace UTS do próprio container: a troca precisa acontecer num namespace novo (unshare --uts)." \
                                                     "That $l2 is the container's own UTS namespace: the rename must happen in a new one (unshare --uts)."
msg "Certo: $nome existiu só dentro de $l2; o container continua se chamando $(hostname)." \
    "Right: $nome existed only inside $l2; the container is still called $(hostname)."
