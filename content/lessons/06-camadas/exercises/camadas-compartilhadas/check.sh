#!/usr/bin/env bash
# Passes when camada-a:1 and camada-b:1 exist (built on busybox, each with its own file in its own
# layer: the check runs them) and camada-comum.txt names the layer they share.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

for x in a b; do
  docker image exists "camada-$x:1" 2>/dev/null || fail "Ainda não existe a imagem camada-$x:1. Faça o build dela a partir de busybox (veja as dicas)." \
                                                         "There is no camada-$x:1 image yet. Build it from busybox (see the hints)."
  timeout 15 docker run --rm "camada-$x:1" test -f "/$x.txt" 2>/dev/null || fail "A imagem camada-$x:1 não tem o arquivo /$x.txt. Crie-o com um RUN no Dockerfile dela." \
                                                                                 "The camada-$x:1 image has no /$x.txt file. Create it with a RUN in its Dockerfile."
done
a=$(docker image inspect --format '{{range .RootFS.Layers}}{{.}} {{end}}' camada-a:1)
b=$(docker image inspect --format '{{range .RootFS.Layers}}{{.}} {{end}}' camada-b:1)
base=$(docker image inspect --format '{{index .RootFS.Layers 0}}' busybox)
[ "${a%% *}" = "$base" ] && [ "${b%% *}" = "$base" ] || fail "As duas imagens devem partir de busybox (FROM busybox)." "Both images must start from busybox (FROM busybox)."
[ "$a" != "$b" ] || fail "camada-a:1 e camada-b:1 têm exatamente as mesmas camadas: cada uma precisa do seu próprio RUN." \
                         "camada-a:1 and camada-b:1 have exactly the same layers: each needs its own RUN."
f=/root/respostas/camada-comum.txt
[ -s "$f" ] || fail "As imagens estão certas. Falta /root/respostas/camada-comum.txt com o digest da camada que as duas compartilham." \
                    "The images are right. /root/respostas/camada-comum.txt is missing, with the digest of the layer the two share."
got=$(tr -d '[:space:]"[],' < "$f")
[ "$got" = "$base" ] || fail "camada-comum.txt diz \"${got:0:24}…\", mas a camada comum é outra. Compare as listas .RootFS.Layers das duas." \
                             "camada-comum.txt says \"${got:0:24}…\", but the shared layer is another. Compare the two .RootFS.Layers lists."
msg "Certo: as duas imagens compartilham a camada ${base:0:19}… do busybox, guardada uma vez; só a camada de cima de cada uma é própria." \
    "Right: the two images share busybox's layer ${base:0:19}…, stored once; only each one's top layer is its own."
