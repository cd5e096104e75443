#!/usr/bin/env bash
# Passes when the learner computed both digests of their layer: the compressed blob's (manifest)
# and the uncompressed tar's (diff_id in the config), and hashed a file taken out of the blob, which
# no metadata prints.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }
hex() { grep -o '[0-9a-f]\{64\}' "$1" 2>/dev/null | head -n1; }

n=$(cat /var/lib/curso/verificar-camada/camada 2>/dev/null) || fail "O exercício não foi preparado; recarregue a página." "The exercise was not set up; reload the page."
man=$(jq -r '.manifests[0].digest' /oci/index.json); man=${man#sha256:}
digest=$(jq -r ".layers[$((n - 1))].digest" "/oci/blobs/sha256/$man"); digest=${digest#sha256:}
cfg=$(jq -r '.config.digest' "/oci/blobs/sha256/$man"); cfg=${cfg#sha256:}
diffid=$(jq -r ".rootfs.diff_ids[$((n - 1))]" "/oci/blobs/sha256/$cfg"); diffid=${diffid#sha256:}

[ -s /root/respostas/camada-sha256.txt ] || fail "Falta /root/respostas/camada-sha256.txt: grave nele a saída de sha256sum do blob da camada $n." \
                                                 "/root/respostas/camada-sha256.txt is missing: write into it the output of sha256sum on layer $n's blob."
[ "$(hex /root/respostas/camada-sha256.txt)" = "$digest" ] || fail "camada-sha256.txt não bate com o digest da camada $n no manifesto. Confira o número da camada (contando de 1, de baixo para cima) e rode sha256sum no blob." \
                                                                   "camada-sha256.txt does not match layer $n's digest in the manifest. Check the layer number (counting from 1, bottom to top) and run sha256sum on the blob."
[ -s /root/respostas/camada-diffid.txt ] || fail "Falta /root/respostas/camada-diffid.txt: descompacte o blob e calcule o sha256 do tar (zcat … | sha256sum)." \
                                                 "/root/respostas/camada-diffid.txt is missing: decompress the blob and hash the tar (zcat … | sha256sum)."
got=$(hex /root/respostas/camada-diffid.txt)
[ "$got" != "$digest" ] || fail "camada-diffid.txt tem o hash do blob comprimido; o diff_id é o hash do tar descompactado (zcat blob | sha256sum)." \
                                "camada-diffid.txt holds the compressed blob's hash; the diff_id is the hash of the decompressed tar (zcat blob | sha256sum)."
[ "$got" = "$diffid" ] || fail "camada-diffid.txt não bate com o diff_id da camada $n na configuração da imagem. Use zcat no blob da camada $n e passe para sha256sum." \
                               "camada-diffid.txt does not match layer $n's diff_id in the image config. Run zcat on layer $n's blob and pipe it into sha256sum."
# The metadata prints both digests above; this one only comes out of the blob. Setup computed it.
arquivo=$(cat /root/exercicios/verificar-camada/arquivo.txt 2>/dev/null)
want=$(cat /var/lib/curso/verificar-camada/arquivo.sha256 2>/dev/null)
[ -s /root/respostas/arquivo-sha256.txt ] || fail "Falta /root/respostas/arquivo-sha256.txt: extraia $arquivo do blob da camada $n (zcat blob | tar -xOf - $arquivo) e calcule o sha256sum." \
                                                  "/root/respostas/arquivo-sha256.txt is missing: extract $arquivo from layer $n's blob (zcat blob | tar -xOf - $arquivo) and run sha256sum on it."
[ "$(hex /root/respostas/arquivo-sha256.txt)" = "$want" ] || fail "arquivo-sha256.txt não é o sha256 do conteúdo de $arquivo dentro da camada $n. Extraia-o do blob dessa camada: zcat blob | tar -xOf - $arquivo | sha256sum" \
                                                              "arquivo-sha256.txt is not the sha256 of $arquivo's contents inside layer $n. Extract it from that layer's blob: zcat blob | tar -xOf - $arquivo | sha256sum"
msg "Certo: a camada $n é íntegra: o blob tem o hash que o manifesto promete e o tar o que a configuração promete." \
    "Right: layer $n is intact: the blob has the hash the manifest promises and the tar the one the config promises."
