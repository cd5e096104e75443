#!/usr/bin/env bash
# Passes when, through the overlay, config.txt was changed (copied up to the upper dir) and
# temporario.txt deleted (a whiteout in the upper dir), while the lower layer stayed as it was.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }
C=/root/camadas
upper=$(findmnt -n -o OPTIONS --mountpoint $C/merged | tr ',' '\n' | sed -n 's/^upperdir=//p')
# The kernel may show upperdir as it was typed (relative); the goal asks for /root/camadas/rw/upper.
case "$upper" in /*) ;; *) upper=$C/rw/upper ;; esac

[ "$(findmnt -n -o FSTYPE --mountpoint $C/merged)" = overlay ] || fail "Não há overlay montado em /root/camadas/merged. Monte-o como no exercício anterior (lowerdir=app:base, upper e work num tmpfs em /root/camadas/rw)." \
                                                                      "There is no overlay mounted on /root/camadas/merged. Mount it as in the previous exercise (lowerdir=app:base, upper and work on a tmpfs at /root/camadas/rw)."
[ "$(sha256sum $C/app/app/config.txt | cut -d' ' -f1)" = "$(cat /var/lib/curso/copy-up-e-whiteout/config.sha256)" ] && [ -f $C/app/app/temporario.txt ] || \
  fail "A camada de baixo (/root/camadas/app) foi alterada! Faça as mudanças só por /root/camadas/merged. Para recomeçar, recarregue o exercício." \
       "The lower layer (/root/camadas/app) was changed! Make changes only through /root/camadas/merged. To start over, reload the exercise."
grep -q 'modo=producao' $C/merged/app/config.txt 2>/dev/null || fail "Em /root/camadas/merged, acrescente a linha modo=producao ao fim de app/config.txt." \
                                                                     "In /root/camadas/merged, append the line modo=producao to the end of app/config.txt."
[ -n "$upper" ] && [ -f "$upper/app/config.txt" ] || fail "Não achei a cópia de app/config.txt na camada de cima (upperdir)." \
                                                          "Could not find the copy of app/config.txt in the top layer (upperdir)."
[ ! -e $C/merged/app/temporario.txt ] || fail "app/temporario.txt ainda aparece em merged: apague-o por /root/camadas/merged." \
                                              "app/temporario.txt still shows in merged: delete it through /root/camadas/merged."
[ -c "$upper/app/temporario.txt" ] || fail "A camada de cima não tem o whiteout de app/temporario.txt; apague o arquivo por merged, não na camada app." \
                                           "The top layer has no whiteout for app/temporario.txt; delete the file through merged, not in the app layer."
[ -s /root/respostas/whiteout.txt ] || fail "Falta a prova: grave em /root/respostas/whiteout.txt a saída de ls -l da pasta app da camada de cima (rw/upper/app)." \
                                            "The proof is missing: save into /root/respostas/whiteout.txt the output of ls -l on the top layer's app folder (rw/upper/app)."
grep -Eq '^c.* 0, +0 .*temporario\.txt' /root/respostas/whiteout.txt || fail "whiteout.txt deveria mostrar temporario.txt como dispositivo de caractere 0, 0 (linha começando com c): é o ls -l de rw/upper/app?" \
                                            "whiteout.txt should show temporario.txt as a character device 0, 0 (a line starting with c): is it ls -l of rw/upper/app?"
msg "Certo: a escrita copiou config.txt para cima (copy-up), a remoção virou um whiteout, e a camada de baixo ficou intacta." \
    "Right: the write copied config.txt up (copy-up), the delete became a whiteout, and the lower layer stayed intact."
