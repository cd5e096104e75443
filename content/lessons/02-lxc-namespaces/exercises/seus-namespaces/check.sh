#!/usr/bin/env bash
# Passes when net-ns.txt names this sandbox's network namespace and interfaces.txt lists the
# interfaces that namespace holds. Namespace inode numbers differ from sandbox to sandbox.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

[ -s /root/respostas/net-ns.txt ] || fail "Falta /root/respostas/net-ns.txt: grave nele o destino do link /proc/self/ns/net (readlink)." \
                                          "/root/respostas/net-ns.txt is missing: write the target of the /proc/self/ns/net link into it (readlink)."
got=$(grep -o '[0-9]\{4,\}' /root/respostas/net-ns.txt | head -n1)
want=$(readlink /proc/self/ns/net | tr -dc '0-9')
[ "$got" = "$want" ] || fail "net-ns.txt não tem o número do namespace de rede deste container. Use readlink /proc/self/ns/net (o número entre colchetes)." \
                             "net-ns.txt does not hold this container's network namespace number. Use readlink /proc/self/ns/net (the number in brackets)."
[ -s /root/respostas/interfaces.txt ] || fail "Falta /root/respostas/interfaces.txt: grave nele os nomes das interfaces de rede que você vê, um por linha (ip link)." \
                                              "/root/respostas/interfaces.txt is missing: write the names of the network interfaces you see into it, one per line (ip link)."
want_if=$(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort -u | tr '\n' ' ')
got_if=$(tr -s ' \t,' '\n' < /root/respostas/interfaces.txt | sed '/^$/d; s/:$//' | sort -u | tr '\n' ' ')
[ "$got_if" = "$want_if" ] || fail "interfaces.txt lista \"${got_if% }\", mas este namespace de rede tem outras interfaces. Confira com ip link." \
                                   "interfaces.txt lists \"${got_if% }\", but this network namespace holds other interfaces. Check with ip link."
msg "Certo: seu namespace de rede é net:[$want] e só contém ${want_if% }." "Right: your network namespace is net:[$want] and holds only ${want_if% }."
