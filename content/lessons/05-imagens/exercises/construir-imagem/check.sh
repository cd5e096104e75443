#!/usr/bin/env bash
# Passes when the image ola:1 exists, was built on busybox with a layer of its own, and running it
# prints this learner's message (the check runs the image itself).
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

token=$(cat /var/lib/curso/construir-imagem/esperado 2>/dev/null)
[ -n "$token" ] || fail "O exercício não foi preparado; recarregue a página." "The exercise was not set up; reload the page."
docker image exists ola:1 2>/dev/null || fail "Ainda não existe a imagem ola:1. Escreva o Dockerfile em /root/ola e rode: cd /root/ola && docker build -t ola:1 ." \
                                             "There is no ola:1 image yet. Write the Dockerfile in /root/ola and run: cd /root/ola && docker build -t ola:1 ."
layers=$(docker image inspect --format '{{range .RootFS.Layers}}{{.}} {{end}}' ola:1 2>/dev/null)
base=$(docker image inspect --format '{{index .RootFS.Layers 0}}' busybox 2>/dev/null)
[ "${layers%% *}" = "$base" ] || fail "A imagem ola:1 não parte do busybox: a primeira linha do Dockerfile deve ser FROM busybox." \
                                      "The ola:1 image does not start from busybox: the Dockerfile's first line must be FROM busybox."
set -- $layers
[ "$#" -ge 2 ] || fail "A ola:1 tem só as camadas do busybox: falta o passo COPY mensagem.txt /mensagem.txt, que cria uma camada nova." \
                       "ola:1 has only busybox's layers: the COPY mensagem.txt /mensagem.txt step, which makes a new layer, is missing."
out=$(timeout 15 docker run --rm ola:1 2>&1)
case "$out" in
  *"$token"*) ;;
  *) fail "Rodei docker run --rm ola:1 e ele não mostrou a sua mensagem (mostrou: \"${out:0:80}\"). O CMD deve ser cat /mensagem.txt, e o COPY deve levar mensagem.txt para /mensagem.txt." \
          "I ran docker run --rm ola:1 and it did not show your message (it showed: \"${out:0:80}\"). The CMD must be cat /mensagem.txt, and COPY must put mensagem.txt at /mensagem.txt." ;;
esac
msg "Certo: a ola:1 tem $# camadas (a de baixo é a do busybox) e, rodando, mostra a sua mensagem." \
    "Right: ola:1 has $# layers (the bottom one is busybox's) and, when run, shows your message."
