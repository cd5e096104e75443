#!/usr/bin/env bash
# Passes when /root/respostas/kernel.txt holds the kernel release this container runs on and
# boot-id.txt the running kernel's boot_id (drawn at boot: read inside, it cannot be typed from the page).
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

f=/root/respostas/kernel.txt
[ -s "$f" ] || fail "O arquivo /root/respostas/kernel.txt ainda não existe ou está vazio: grave nele a saída de uname -r." \
                    "/root/respostas/kernel.txt does not exist yet or is empty: write the output of uname -r into it."
got=$(tr -d '[:space:]' < "$f")
want=$(uname -r)
[ "$got" = "$want" ] || fail "kernel.txt diz \"$got\", mas não é a versão do kernel que este container usa. Rode uname -r e compare com a versão do host mostrada na página." \
                             "kernel.txt says \"$got\", but that is not the kernel release this container runs on. Run uname -r and compare it with the host version shown on the page."
b=/root/respostas/boot-id.txt
[ -s "$b" ] || fail "A versão está certa. Falta /root/respostas/boot-id.txt: grave nele o conteúdo de /proc/sys/kernel/random/boot_id." \
                    "The release is right. /root/respostas/boot-id.txt is missing: write the contents of /proc/sys/kernel/random/boot_id into it."
[ "$(tr -d '[:space:]' < "$b")" = "$(cat /proc/sys/kernel/random/boot_id)" ] || fail "boot-id.txt não tem o boot_id do kernel em execução. Leia /proc/sys/kernel/random/boot_id aqui dentro e grave o que ele mostra." \
  "boot-id.txt does not hold the running kernel's boot_id. Read /proc/sys/kernel/random/boot_id in here and save what it shows."
msg "Certo: o container usa o kernel $want, o mesmo do host: o mesmo boot_id, a mesma instância do kernel." "Right: the container runs kernel $want, the host's own: the same boot_id, the same running kernel."
