#!/usr/bin/env bash
# Passes when resultado.txt was written by PID 1 of a new PID namespace, chrooted into /root/mini,
# in a new UTS namespace named after the learner's name, seeing only its own processes.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

nome=$(cat /var/lib/curso/mini-container/nome 2>/dev/null) || fail "O exercício não foi preparado; recarregue a página." "The exercise was not set up; reload the page."
[ "$(hostname)" != "$nome" ] || fail "Você trocou o nome do próprio container; a troca deve acontecer só dentro do namespace UTS novo (unshare --uts)." \
                                     "You renamed the container itself; the rename must happen only inside the new UTS namespace (unshare --uts)."
f=/root/mini/resultado.txt
[ -s "$f" ] || fail "Falta /root/mini/resultado.txt (que, de dentro, é /resultado.txt): rode o comando do objetivo dentro do mini container." \
                    "/root/mini/resultado.txt (which is /resultado.txt from inside) is missing: run the goal's command inside the mini container."
read -r h pid n < "$f"
[ "$h" = "$nome" ] || fail "resultado.txt diz que o hostname era \"$h\", mas devia ser $nome (veja /root/exercicios/mini-container/nome.txt)." \
                           "resultado.txt says the host name was \"$h\", but it should be $nome (see /root/exercicios/mini-container/nome.txt)."
[ "$pid" = 1 ] || fail "O shell do mini container tinha PID \"$pid\", não 1: faltou unshare --pid --fork?" \
                       "The mini container's shell had PID \"$pid\", not 1: did you forget unshare --pid --fork?"
[[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 8 ] || fail "O terceiro número (processos vistos por ps) deveria ser pequeno, mas é \"$n\": montou um /proc novo dentro do mini container?" \
                       "The third number (processes seen by ps) should be small, but it is \"$n\": did you mount a fresh /proc inside the mini container?"
msg "Certo: chroot isolou os arquivos, o namespace UTS o nome e o de PID os processos: um container em miniatura." \
    "Right: chroot isolated the files, the UTS namespace the name and the PID namespace the processes: a container in miniature."
