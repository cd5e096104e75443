#!/usr/bin/env bash
# Passes when the container rascunho exists and its writable layer (docker diff, live) deleted
# /bin/vi and added /root/nota.txt, the image rascunho:1 was committed from it, and the answer names
# the whiteout entry that the check itself finds in that image's top layer tarball.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

docker container exists rascunho 2>/dev/null || fail "Não existe um container chamado rascunho. Crie-o com docker run --name rascunho busybox … (veja as dicas)." \
                                                  "There is no container named rascunho. Create it with docker run --name rascunho busybox … (see the hints)."
diff=$(timeout 10 docker diff rascunho 2>/dev/null)
grep -qx 'D /bin/vi' <<< "$diff" || fail "A camada gravável do rascunho não apagou /bin/vi (docker diff rascunho não mostra D /bin/vi)." \
                                         "rascunho's writable layer did not delete /bin/vi (docker diff rascunho shows no D /bin/vi)."
grep -qx 'A /root/nota.txt' <<< "$diff" || fail "A camada gravável do rascunho não tem /root/nota.txt (docker diff rascunho não mostra A /root/nota.txt)." \
                                                "rascunho's writable layer has no /root/nota.txt (docker diff rascunho shows no A /root/nota.txt)."
docker image exists rascunho:1 2>/dev/null || fail "O docker diff está certo. Agora congele a camada gravável numa imagem: docker commit rascunho rascunho:1" \
                                                   "docker diff is right. Now freeze the writable layer into an image: docker commit rascunho rascunho:1"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
timeout 20 docker save rascunho:1 -o "$tmp/r.tar" >/dev/null 2>&1 || fail "Não consegui exportar rascunho:1 com docker save; rode docker system df e libere espaço." \
                                                                       "Could not export rascunho:1 with docker save; run docker system df and free some space."
top=$(tar xOf "$tmp/r.tar" manifest.json | jq -r '.[0].Layers[-1]')
want=$(tar xOf "$tmp/r.tar" "$top" | tar t | grep -m1 '\.wh\.vi$')
[ -n "$want" ] || fail "A camada de cima de rascunho:1 não tem o whiteout de /bin/vi: faça o commit do container rascunho que apagou /bin/vi." \
                       "rascunho:1's top layer has no whiteout for /bin/vi: commit the rascunho container that deleted /bin/vi."
f=/root/respostas/whiteout-no-tar.txt
[ -s "$f" ] || fail "A imagem está certa. Falta /root/respostas/whiteout-no-tar.txt com o caminho do whiteout no tarball da camada de cima." \
                    "The image is right. /root/respostas/whiteout-no-tar.txt is missing, with the whiteout's path in the top layer's tarball."
got=$(tr -d '[:space:]' < "$f")
[ "${got#./}" = "${want#./}" ] || fail "whiteout-no-tar.txt diz \"$got\", mas esse não é o caminho do whiteout no tarball. Liste a camada de cima com tar t." \
                                       "whiteout-no-tar.txt says \"$got\", but that is not the whiteout's path in the tarball. List the top layer with tar t."
msg "Certo: no tarball, /bin/vi apagado virou $want, um arquivo vazio; o vi continua inteiro na camada do busybox, embaixo." \
    "Right: in the tarball, the deleted /bin/vi became $want, an empty file; vi is still whole in busybox's layer, below."
