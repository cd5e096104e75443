#!/usr/bin/env bash
# Passes when pid1.txt names this container's PID 1 and hostname.txt holds its own host name.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

[ -s /root/respostas/pid1.txt ] || fail "Falta /root/respostas/pid1.txt: grave nele o nome do comando que é o PID 1 aqui (veja ps -ef)." \
                                        "/root/respostas/pid1.txt is missing: write into it the name of the command that is PID 1 here (see ps -ef)."
# PID 1's name as ps -ef shows it (argv[0]) and as the kernel keeps it (comm): either is right.
want=$(tr '\0' '\n' < /proc/1/cmdline | head -n1)
want=${want##*/}
comm=$(cat /proc/1/comm)
got=$(awk 'NF { print $1; exit }' /root/respostas/pid1.txt)
got=${got##*/}
[ "$got" = "$want" ] || [ "${got:0:15}" = "$comm" ] || fail "pid1.txt diz \"$got\", mas esse não é o PID 1 deste container. Procure a linha com PID 1 em ps -ef." \
                                    "pid1.txt says \"$got\", but that is not this container's PID 1. Look for the line with PID 1 in ps -ef."
[ -s /root/respostas/hostname.txt ] || fail "Falta /root/respostas/hostname.txt: grave nele a saída de hostname." \
                                            "/root/respostas/hostname.txt is missing: write the output of hostname into it."
[ "$(tr -d '[:space:]' < /root/respostas/hostname.txt)" = "$(hostname)" ] || fail "hostname.txt não tem o nome deste container. Rode hostname e grave a saída." \
                                            "hostname.txt does not hold this container's name. Run hostname and save its output."
msg "Certo: o PID 1 daqui é o $want deste container, não o init do host, e o nome da máquina é só seu." \
    "Right: PID 1 here is this container's own $want, not the host's init, and the host name is yours alone."
