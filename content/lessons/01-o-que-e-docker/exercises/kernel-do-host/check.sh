#!/usr/bin/env bash
# Passes when /root/respostas/kernel.txt holds the kernel release this container runs on.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

f=/root/respostas/kernel.txt
[ -s "$f" ] || fail "O arquivo /root/respostas/kernel.txt ainda não existe ou está vazio: grave nele a saída de uname -r." \
                    "/root/respostas/kernel.txt does not exist yet or is empty: write the output of uname -r into it."
got=$(tr -d '[:space:]' < "$f")
want=$(uname -r)
[ "$got" = "$want" ] || fail "kernel.txt diz \"$got\", mas não é a versão do kernel que este container usa. Rode uname -r e compare com a versão do host mostrada na página." \
                             "kernel.txt says \"$got\", but that is not the kernel release this container runs on. Run uname -r and compare it with the host version shown on the page."
msg "Certo: o container usa o kernel $want, o mesmo do host." "Right: the container runs kernel $want, the host's own."
