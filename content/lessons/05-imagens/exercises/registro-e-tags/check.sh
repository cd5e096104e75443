#!/usr/bin/env bash
# Passes when the registry itself (its distribution API, asked over HTTP here) has tag ola:1 on one
# digest and still serves the older digest the learner wrote down: two pushes of the same tag.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

# HEAD a manifest; prints "<status> <digest>". bash's /dev/tcp: no curl in the Image.
head_manifest() {
  exec 3<>/dev/tcp/127.0.0.1/5000 || return 1
  printf 'HEAD /v2/ola/manifests/%s HTTP/1.0\r\nHost: localhost:5000\r\nAccept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json\r\n\r\n' "$1" >&3
  timeout 5 tr -d '\r' <&3 | awk 'NR == 1 { s = $2 } tolower($1) == "docker-content-digest:" { d = $2 } END { print s, d }'
  exec 3<&-
}

if ! reply=$(head_manifest 1 2>/dev/null); then
  fail "O registro em localhost:5000 não responde. Inicie-o com: curso registry start" "The registry at localhost:5000 is not answering. Start it with: curso registry start"
fi
read -r status now <<< "$reply"
[ "$status" = 200 ] || fail "O registro ainda não tem localhost:5000/ola:1. Marque e envie: docker tag ola:1 localhost:5000/ola:1 && docker push localhost:5000/ola:1" \
                            "The registry has no localhost:5000/ola:1 yet. Tag and push: docker tag ola:1 localhost:5000/ola:1 && docker push localhost:5000/ola:1"
f=/root/respostas/digest-antigo.txt
[ -s "$f" ] || fail "A tag está no registro. Falta /root/respostas/digest-antigo.txt com o digest do primeiro envio (veja as dicas: skopeo inspect)." \
                    "The tag is in the registry. /root/respostas/digest-antigo.txt is missing, with the digest of the first push (see the hints: skopeo inspect)."
old=$(tr -d '[:space:]' < "$f")
[[ "$old" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "digest-antigo.txt deve ter um digest como sha256:<64 dígitos hexadecimais>, mas tem \"${old:0:40}\"." \
                                              "digest-antigo.txt must hold a digest like sha256:<64 hex digits>, but it holds \"${old:0:40}\"."
read -r ostatus _ <<< "$(head_manifest "$old" 2>/dev/null)"
[ "$ostatus" = 200 ] || fail "O registro não tem nenhum manifesto $old em ola. Grave o digest que o registro devolveu no primeiro envio." \
                             "The registry has no manifest $old in ola. Write down the digest the registry gave for the first push."
[ "$now" != "$old" ] || fail "A tag 1 ainda aponta para $old, o digest antigo. Mude a mensagem, faça o build de novo com a tag ola:1 e envie outra vez." \
                             "Tag 1 still points at $old, the old digest. Change the message, build again with the tag ola:1 and push again."
msg "Certo: no registro, a tag 1 agora aponta para ${now:0:19}…, e o digest antigo ${old:0:19}… ainda existe: a tag se moveu, o digest não." \
    "Right: in the registry, tag 1 now points at ${now:0:19}…, and the old digest ${old:0:19}… is still there: the tag moved, the digest did not."
