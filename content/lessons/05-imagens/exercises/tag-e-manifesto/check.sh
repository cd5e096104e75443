#!/usr/bin/env bash
# Passes when the learner followed /oci from the index (tag) to the manifest (digest) to one layer (size).
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }
val() { tr -d '[:space:]' < "$1" 2>/dev/null; }

n=$(cat /var/lib/curso/tag-e-manifesto/camada 2>/dev/null) || fail "O exercício não foi preparado; recarregue a página." "The exercise was not set up; reload the page."
tag=$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' /oci/index.json)
man=$(jq -r '.manifests[0].digest' /oci/index.json)
size=$(jq -r ".layers[$((n - 1))].size" "/oci/blobs/sha256/${man#sha256:}")

[ -s /root/respostas/tag.txt ] || fail "Falta /root/respostas/tag.txt: grave nele a tag da imagem (anotação org.opencontainers.image.ref.name em /oci/index.json)." \
                                       "/root/respostas/tag.txt is missing: write the image's tag into it (annotation org.opencontainers.image.ref.name in /oci/index.json)."
[ "$(val /root/respostas/tag.txt)" = "$tag" ] || fail "tag.txt não tem a tag da imagem; ela está nas annotations do manifesto em /oci/index.json." \
                                                      "tag.txt does not hold the image's tag; it is in the manifest's annotations in /oci/index.json."
[ -s /root/respostas/manifesto.txt ] || fail "Falta /root/respostas/manifesto.txt: grave nele o digest do manifesto (campo digest em /oci/index.json)." \
                                             "/root/respostas/manifesto.txt is missing: write the manifest's digest into it (the digest field in /oci/index.json)."
got=$(val /root/respostas/manifesto.txt); got=${got#sha256:}
[ "$got" = "${man#sha256:}" ] || fail "manifesto.txt não tem o digest do manifesto; copie o campo digest de manifests[0] em /oci/index.json." \
                                      "manifesto.txt does not hold the manifest's digest; copy the digest field of manifests[0] in /oci/index.json."
[ -s /root/respostas/tamanho.txt ] || fail "Falta /root/respostas/tamanho.txt: grave nele o tamanho em bytes da camada número $n, segundo o manifesto." \
                                           "/root/respostas/tamanho.txt is missing: write into it the size in bytes of layer number $n, as the manifest says."
[ "$(val /root/respostas/tamanho.txt)" = "$size" ] || fail "tamanho.txt não é o tamanho da camada $n. No manifesto (blobs/sha256/<digest do manifesto>), as camadas contam de 1, de baixo para cima." \
                                                           "tamanho.txt is not the size of layer $n. In the manifest (blobs/sha256/<manifest digest>), layers count from 1, bottom to top."
msg "Certo: tag $tag → manifesto ${man:0:19}… → camada $n com $size bytes." "Right: tag $tag → manifest ${man:0:19}… → layer $n of $size bytes."
