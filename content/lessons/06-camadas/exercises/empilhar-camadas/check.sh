#!/usr/bin/env bash
# Passes when an overlay stacks app over base at /root/camadas/merged, with upper/work on a tmpfs,
# and the learner saved the merged view of the file both layers define.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }
C=/root/camadas

[ "$(findmnt -n -o FSTYPE --mountpoint $C/rw)" = tmpfs ] || fail "Monte primeiro um tmpfs em /root/camadas/rw (a camada gravável não pode ficar no overlay do próprio container)." \
                                                               "First mount a tmpfs on /root/camadas/rw (the writable layer cannot sit on the container's own overlay)."
[ "$(findmnt -n -o FSTYPE --mountpoint $C/merged)" = overlay ] || fail "Ainda não há um overlay montado em /root/camadas/merged: use mount -t overlay com lowerdir, upperdir e workdir." \
                                                                      "There is no overlay mounted on /root/camadas/merged yet: use mount -t overlay with lowerdir, upperdir and workdir."
[ -e $C/merged/etc/so.txt ] || fail "O overlay não mostra etc/so.txt da camada base: inclua /root/camadas/base em lowerdir." \
                                    "The overlay does not show etc/so.txt from the base layer: put /root/camadas/base in lowerdir."
[ -e $C/merged/app/config.txt ] || fail "O overlay não mostra app/config.txt da camada app: inclua /root/camadas/app em lowerdir." \
                                        "The overlay does not show app/config.txt from the app layer: put /root/camadas/app in lowerdir."
cmp -s $C/merged/etc/mensagem.txt /var/lib/curso/empilhar-camadas/mensagem || fail "Em merged, etc/mensagem.txt vem da camada base: a ordem está invertida. Em lowerdir, a primeira pasta é a de cima (lowerdir=app:base)." \
                                        "In merged, etc/mensagem.txt comes from the base layer: the order is reversed. In lowerdir the first folder is the top one (lowerdir=app:base)."
[ -s /root/respostas/mensagem.txt ] || fail "Falta /root/respostas/mensagem.txt: grave nele o conteúdo de /root/camadas/merged/etc/mensagem.txt." \
                                            "/root/respostas/mensagem.txt is missing: write the contents of /root/camadas/merged/etc/mensagem.txt into it."
cmp -s /root/respostas/mensagem.txt /var/lib/curso/empilhar-camadas/mensagem || fail "mensagem.txt não é o que o overlay mostra em merged/etc/mensagem.txt." \
                                            "mensagem.txt is not what the overlay shows in merged/etc/mensagem.txt."
msg "Certo: duas camadas empilhadas viraram um só sistema de arquivos, e a de cima vence." \
    "Right: two stacked layers became one filesystem, and the top one wins."
