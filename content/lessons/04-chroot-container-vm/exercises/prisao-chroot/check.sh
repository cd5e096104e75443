#!/usr/bin/env bash
# Passes when /root/prisao is a working busybox jail, the learner listed its root from inside,
# and the secret outside it cannot be reached from within.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

p=/root/prisao
[ -x $p/bin/busybox ] || fail "Falta /root/prisao/bin/busybox: crie a pasta bin da prisão e copie /bin/busybox para ela." \
                              "/root/prisao/bin/busybox is missing: create the jail's bin folder and copy /bin/busybox into it."
[ -e $p/bin/sh ] || [ -L $p/bin/sh ] || fail "A prisão não tem /bin/sh. Crie os atalhos: chroot /root/prisao /bin/busybox --install -s /bin" \
                                             "The jail has no /bin/sh. Create the links: chroot /root/prisao /bin/busybox --install -s /bin"
[ "$(chroot $p /bin/sh -c 'echo dentro' 2>&1)" = dentro ] || fail "chroot /root/prisao /bin/sh não funciona; confira se /root/prisao/bin/sh aponta para busybox." \
                                                                  "chroot /root/prisao /bin/sh does not work; check that /root/prisao/bin/sh points to busybox."
segredo=$(cat /var/lib/curso/prisao-chroot/segredo)
if grep -rqs "$segredo" $p 2>/dev/null; then
  fail "Você copiou o segredo para dentro da prisão: assim não vale! Apague-o de /root/prisao." \
       "You copied the secret into the jail: that is cheating! Delete it from /root/prisao."
fi
! chroot $p /bin/sh -c 'cat /root/exercicios/prisao-chroot/segredo.txt' >/dev/null 2>&1 || fail "De dentro da prisão ainda dá para ler o segredo: ela não está isolando." \
                                                                                       "The secret can still be read from inside the jail: it is not isolating."
[ -s $p/dentro.txt ] || fail "Falta a prova: de dentro da prisão, grave a listagem da raiz: chroot /root/prisao /bin/sh -c 'ls / > /dentro.txt'" \
                             "The proof is missing: from inside the jail, save the listing of the root: chroot /root/prisao /bin/sh -c 'ls / > /dentro.txt'"
grep -qx bin $p/dentro.txt || fail "dentro.txt não lista bin: a listagem precisa ser da raiz vista de dentro da prisão." \
                                   "dentro.txt does not list bin: it must be the listing of the root as seen from inside the jail."
! grep -Eqx 'oci|var|boot' $p/dentro.txt || fail "dentro.txt lista pastas do sistema de fora (como var ou oci): rode o ls dentro do chroot." \
                                                 "dentro.txt lists folders of the outside system (such as var or oci): run ls inside the chroot."
msg "Certo: para o processo preso, / é /root/prisao, e o resto do sistema simplesmente não existe." \
    "Right: for the jailed process, / is /root/prisao, and the rest of the system simply does not exist."
