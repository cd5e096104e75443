#!/usr/bin/env bash
# Passes when /root/caixa holds jq plus exactly what it needs to run, and nothing like a whole OS.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

c=/root/caixa
[ -x $c/usr/bin/jq ] || fail "Ainda não existe /root/caixa/usr/bin/jq: copie o binário do jq para lá." \
                             "/root/caixa/usr/bin/jq does not exist yet: copy the jq binary there."
for sh in bin/sh bin/bash usr/bin/bash bin/busybox usr/bin/busybox; do
  [ ! -e "$c/$sh" ] || fail "A caixa tem $sh: ela deve ter só o jq e as bibliotecas dele, não um shell." \
                            "The box has $sh: it must hold only jq and its libraries, not a shell."
done
n=$(find $c -type f | wc -l)
[ "$n" -le 15 ] || fail "A caixa tem $n arquivos; o jq precisa de bem menos. Copie só o que ldd /usr/bin/jq lista." \
                        "The box has $n files; jq needs far fewer. Copy only what ldd /usr/bin/jq lists."
segredo=$(cat /var/lib/curso/binarios-e-bibliotecas/segredo)
out=$(chroot $c /usr/bin/jq -r .segredo < /root/exercicios/binarios-e-bibliotecas/dados.json 2>&1)
if [ "$out" != "$segredo" ]; then
  last=$(printf '%s\n' "$out" | tail -n1)
  fail "O jq ainda não roda dentro da caixa: ${last:-sem saída}. Veja com ldd /usr/bin/jq quais bibliotecas faltam (inclusive o ld-linux)." \
       "jq does not run inside the box yet: ${last:-no output}. Use ldd /usr/bin/jq to see which libraries are missing (the ld-linux one too)."
fi
msg "Certo: com $n arquivos a caixa roda o jq sozinha: o binário leva consigo as bibliotecas de que precisa." \
    "Right: with $n files the box runs jq on its own: the binary carries the libraries it needs."
