#!/usr/bin/env bash
# Passes when /root/prisao is a working busybox jail, a living process is jailed in it (its
# /proc/PID/root is the jail, as the check sees it), the learner listed the root from inside, and the
# secret is neither copied in nor readable by path. Never walks /proc: the jail may have one mounted.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

p=/root/prisao
[ -x $p/bin/busybox ] || fail "Falta /root/prisao/bin/busybox: crie a pasta bin da prisão e copie /bin/busybox para ela." \
                              "/root/prisao/bin/busybox is missing: create the jail's bin folder and copy /bin/busybox into it."
[ -e $p/bin/sh ] || [ -L $p/bin/sh ] || fail "A prisão não tem /bin/sh. Crie os atalhos: chroot /root/prisao /bin/busybox --install -s /bin" \
                                             "The jail has no /bin/sh. Create the links: chroot /root/prisao /bin/busybox --install -s /bin"
[ "$(timeout 5 chroot $p /bin/sh -c 'echo dentro' 2>&1 </dev/null)" = dentro ] || fail "chroot /root/prisao /bin/sh não funciona; confira se /root/prisao/bin/sh aponta para busybox." \
                                                                             "chroot /root/prisao /bin/sh does not work; check that /root/prisao/bin/sh points to busybox."
segredo=$(cat /var/lib/curso/prisao-chroot/segredo)
# -xdev: only the jail's own files, never a /proc, /sys or other mount inside it; big files are binaries.
if find $p -xdev -type f -size -1024k -exec grep -lsF -- "$segredo" {} + 2>/dev/null | grep -q .; then
  fail "Você copiou o segredo para dentro da prisão: assim não vale! Apague-o de /root/prisao." \
       "You copied the secret into the jail: that is cheating! Delete it from /root/prisao."
fi
! timeout 5 chroot $p /bin/sh -c 'cat /root/exercicios/prisao-chroot/segredo.txt' >/dev/null 2>&1 </dev/null || fail "De dentro da prisão ainda dá para ler o segredo pelo caminho dele: ela não está isolando." \
                                                                                       "The secret can still be read by its path from inside the jail: it is not isolating."
# A living jailed process: its root (followed by the kernel, in any mount namespace) is the jail dir.
want=$(stat -c %d:%i $p)
jailed=""
for q in /proc/[0-9]*; do
  [ "$(stat -L -c %d:%i "$q/root" 2>/dev/null)" = "$want" ] && { jailed=${q#/proc/}; break; }
done
[ -n "$jailed" ] || fail "Nenhum processo está preso na prisão agora. Entre nela com chroot /root/prisao /bin/sh e verifique sem sair." \
                        "No process is jailed right now. Go in with chroot /root/prisao /bin/sh and check without leaving."
[ -s $p/dentro.txt ] || fail "Falta a prova: de dentro da prisão, grave a listagem da raiz: ls / > /dentro.txt" \
                             "The proof is missing: from inside the jail, save the listing of the root: ls / > /dentro.txt"
grep -qx bin $p/dentro.txt || fail "dentro.txt não lista bin: a listagem precisa ser da raiz vista de dentro da prisão." \
                                   "dentro.txt does not list bin: it must be the listing of the root as seen from inside the jail."
! grep -Eqx 'oci|var|boot' $p/dentro.txt || fail "dentro.txt lista pastas do sistema de fora (como var ou oci): rode o ls dentro do chroot." \
                                                 "dentro.txt lists folders of the outside system (such as var or oci): run ls inside the chroot."
msg "Certo: para o processo $jailed, preso, / é /root/prisao e o segredo não tem caminho. Mas tente o aviso da lição: com um /proc montado, /proc/1/root leva para fora." \
    "Right: for jailed process $jailed, / is /root/prisao and the secret has no path. But try the lesson's warning: with a /proc mounted, /proc/1/root leads outside."
