#!/usr/bin/env bash
# Passes when a live process sits in a new UTS namespace (not PID 1's) whose host name, read by the
# check itself with nsenter, is the learner's island name; uts.txt names that namespace; and this
# (parent) namespace kept its own name. A typed-in uts.txt alone names no living namespace.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

nome=$(cat /var/lib/curso/hostname-em-novo-uts/nome 2>/dev/null) || fail "O exercício não foi preparado; recarregue a página." "The exercise was not set up; reload the page."
if [ "$(hostname)" = "$nome" ]; then
  fail "Você trocou o nome do próprio container! Volte com hostname $(cat /var/lib/curso/hostname-em-novo-uts/original 2>/dev/null) e faça a troca dentro de unshare --uts." \
       "You renamed the container itself! Put it back with hostname $(cat /var/lib/curso/hostname-em-novo-uts/original 2>/dev/null) and do the rename inside unshare --uts."
fi
# The sandbox holds a few dozen processes at most: reading their ns links is cheap.
mine=$(readlink /proc/1/ns/uts)
found=""
for p in /proc/[0-9]*; do
  ns=$(readlink "$p/ns/uts" 2>/dev/null) || continue
  [ "$ns" != "$mine" ] || continue
  [ "$(timeout 2 nsenter -t "${p#/proc/}" -u hostname 2>/dev/null)" = "$nome" ] && { found=$ns; break; }
done
[ -n "$found" ] || fail "Nenhum processo vivo está num namespace UTS novo chamado $nome. Abra um shell com unshare --uts bash, troque o nome lá dentro (hostname $nome) e verifique sem sair dele." \
                        "No living process is in a new UTS namespace named $nome. Open a shell with unshare --uts bash, rename inside it (hostname $nome) and check without leaving it."
f=/root/respostas/uts.txt
[ -s "$f" ] || fail "Falta /root/respostas/uts.txt: dentro de unshare --uts, grave a saída de hostname e de readlink /proc/self/ns/uts." \
                    "/root/respostas/uts.txt is missing: inside unshare --uts, write the output of hostname and of readlink /proc/self/ns/uts into it."
l1=$(sed -n 1p "$f" | tr -d '[:space:]')
l2=$(sed -n 2p "$f" | tr -d '[:space:]')
[ "$l1" = "$nome" ] || fail "A 1ª linha de uts.txt deveria ser o nome $nome (de /root/exercicios/hostname-em-novo-uts/nome.txt), mas é \"$l1\"." \
                            "Line 1 of uts.txt should be the name $nome (from /root/exercicios/hostname-em-novo-uts/nome.txt), but it is \"$l1\"."
[ "$l2" = "$found" ] || fail "A 2ª linha de uts.txt deveria ser o namespace onde $nome existe agora ($found), mas é \"$l2\": grave-a com readlink /proc/self/ns/uts de dentro dele." \
                             "Line 2 of uts.txt should be the namespace where $nome lives now ($found), but it is \"$l2\": write it with readlink /proc/self/ns/uts from inside it."
msg "Certo: $nome existe só dentro de $found; o container continua se chamando $(hostname). Pode sair do shell novo com exit." \
    "Right: $nome exists only inside $found; the container is still called $(hostname). You may leave the new shell with exit."
