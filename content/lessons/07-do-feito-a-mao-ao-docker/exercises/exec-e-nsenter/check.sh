#!/usr/bin/env bash
# Passes when caixa-hostname.txt holds the host name of the hand-made container's UTS namespace,
# read live by entering it (the name was drawn inside it and is written nowhere else).
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

pid=$(pgrep -xf 'sleep 3601' | head -n1)
if [ -z "$pid" ]; then
  setsid unshare --uts --pid --fork --mount-proc sh -c \
    'hostname "caixa-$(od -An -N4 -tx1 /dev/urandom | tr -d " \n")"; exec sleep 3601' </dev/null >/dev/null 2>&1 &
  fail "O container feito à mão (sleep 3601) não estava rodando: iniciei outro, com outro nome. Ache o PID dele e entre de novo." \
       "The hand-made container (sleep 3601) was not running: I started another, with another name. Find its PID and enter again."
fi
want=$(nsenter -t "$pid" -u hostname 2>/dev/null)
[ -n "$want" ] || fail "Não consegui entrar no namespace do processo $pid; avise o instrutor." "Could not enter the namespace of process $pid; tell the instructor."
f=/root/respostas/caixa-hostname.txt
[ -s "$f" ] || fail "Falta /root/respostas/caixa-hostname.txt: grave nele o hostname que o processo $pid vê (entre com nsenter)." \
                    "/root/respostas/caixa-hostname.txt is missing: write into it the host name process $pid sees (enter with nsenter)."
got=$(tr -d '[:space:]' < "$f")
[ "$got" != "$(hostname)" ] || fail "Esse é o hostname do seu shell, não o do container feito à mão: o namespace UTS dele é outro. Entre nele com nsenter -t $pid -u." \
                                    "That is your shell's host name, not the hand-made container's: its UTS namespace is another one. Enter it with nsenter -t $pid -u."
[ "$got" = "$want" ] || fail "caixa-hostname.txt diz \"$got\", mas o processo $pid vê outro nome. Entre no namespace dele e leia de novo." \
                             "caixa-hostname.txt says \"$got\", but process $pid sees another name. Enter its namespace and read again."
msg "Certo: dentro dos namespaces do processo $pid o nome é $want. Você fez um docker exec à mão." \
    "Right: inside the namespaces of process $pid the name is $want. You did a docker exec by hand."
