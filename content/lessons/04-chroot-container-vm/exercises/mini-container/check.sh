#!/usr/bin/env bash
# Passes when a living process is the mini container: its root is /root/mini, reached by pivot_root
# (its mount table has a "/" of its own and no trace of the old root), it is PID 1 of a new PID
# namespace, in new mount and UTS namespaces, and its host name, read with nsenter, is the learner's.
# All of it is read live from /proc/PID; resultado.txt alone proves nothing.
msg() { if [ "${COURSE_LANG:-pt-BR}" = en ]; then echo "$2"; else echo "$1"; fi; }
fail() { msg "$1" "$2"; exit 1; }

nome=$(cat /var/lib/curso/mini-container/nome 2>/dev/null) || fail "O exercício não foi preparado; recarregue a página." "The exercise was not set up; reload the page."
[ "$(hostname)" != "$nome" ] || fail "Você trocou o nome do próprio container; a troca deve acontecer só dentro do namespace UTS novo (unshare --uts)." \
                                     "You renamed the container itself; the rename must happen only inside the new UTS namespace (unshare --uts)."
# Processes whose root is the mini folder (the kernel follows /proc/PID/root across mount namespaces).
want=$(stat -c %d:%i /root/mini 2>/dev/null)
cands=""
for q in /proc/[0-9]*; do
  [ -n "$want" ] && [ "$(stat -L -c %d:%i "$q/root" 2>/dev/null)" = "$want" ] && cands="$cands ${q#/proc/}"
done
[ -n "$cands" ] || fail "Nenhum processo vivo está dentro de /root/mini. Entre no mini container (veja as dicas) e verifique sem sair dele." \
                        "No living process is inside /root/mini. Go into the mini container (see the hints) and check without leaving it."
# Each candidate is judged on its own (an older attempt may still be alive beside the right one);
# the first that passes wins, otherwise the learner hears about the one that got furthest.
best=-1; why_pt=""; why_en=""
no() { if [ "$1" -gt "$best" ]; then best=$1; why_pt=$2; why_en=$3; fi; return 1; }
judge() {
  local q=$1 t h mi old
  [ "$(awk '/^NSpid:/ { print $NF }' /proc/$q/status 2>/dev/null)" = 1 ] && [ "$(readlink /proc/$q/ns/pid)" != "$(readlink /proc/1/ns/pid)" ] || \
    no 0 "Há um processo dentro de /root/mini, mas nenhum é o PID 1 de um namespace de PID novo: faltou unshare --pid --fork?" \
         "There is a process inside /root/mini, but none is PID 1 of a new PID namespace: did you forget unshare --pid --fork?" || return 1
  for t in mnt uts; do
    [ "$(readlink /proc/$q/ns/$t)" != "$(readlink /proc/1/ns/$t)" ] || no 1 "O mini container usa o namespace $t do próprio container: inclua --mount e --uts no unshare." \
                                                                         "The mini container uses the container's own $t namespace: add --mount and --uts to unshare." || return 1
  done
  h=$(timeout 2 nsenter -t "$q" -u hostname 2>/dev/null)
  [ "$h" = "$nome" ] || no 2 "Dentro do mini container o hostname é \"$h\", mas devia ser $nome (veja /root/exercicios/mini-container/nome.txt)." \
                             "Inside the mini container the host name is \"$h\", but it should be $nome (see /root/exercicios/mini-container/nome.txt)." || return 1
  # Its mount table, as it sees it: mounts its root cannot reach are not listed. After pivot_root the
  # bind-mounted mini folder is its "/"; a chroot has no "/" line; an old root still mounted shows up.
  mi=/proc/$q/mountinfo
  awk '$5 == "/" { f = 1 } END { exit !f }' "$mi" || no 3 "O shell está num chroot, não num pivot_root: a raiz antiga continua alcançável. Use mount --bind /root/mini /root/mini e pivot_root (veja as dicas)." \
                                                     "The shell is in a chroot, not a pivot_root: the old root is still reachable. Use mount --bind /root/mini /root/mini and pivot_root (see the hints)." || return 1
  old=$(awk '$5 != "/" && $0 ~ / - overlay / { print $5; exit }' "$mi")
  [ -z "$old" ] || no 4 "A raiz antiga ainda está montada em $old dentro do mini container: desmonte-a com umount -l $old." \
                        "The old root is still mounted on $old inside the mini container: unmount it with umount -l $old." || return 1
  awk '$5 == "/proc" && $0 ~ / - proc / { f = 1 } END { exit !f }' "$mi" || no 5 "O mini container não tem um /proc novo: monte-o lá dentro com mount -t proc proc /proc." \
                                                                           "The mini container has no fresh /proc: mount one inside it with mount -t proc proc /proc." || return 1
}
P=""
for q in $cands; do judge "$q" && { P=$q; break; }; done
[ -n "$P" ] || fail "$why_pt" "$why_en"
f=/root/mini/resultado.txt
[ -s "$f" ] || fail "Falta /root/mini/resultado.txt (que, de dentro, é /resultado.txt): grave nele o hostname, \$\$ e quantos processos o ps mostra." \
                    "/root/mini/resultado.txt (which is /resultado.txt from inside) is missing: write into it the host name, \$\$ and how many processes ps shows."
read -r h pid n < "$f"
[ "$h" = "$nome" ] && [ "$pid" = 1 ] && [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 8 ] || fail "resultado.txt diz \"$h $pid $n\"; de dentro do mini container devia ser $nome 1 e um número pequeno de processos." \
                    "resultado.txt says \"$h $pid $n\"; from inside the mini container it should be $nome 1 and a small number of processes."
msg "Certo: o processo $P é o PID 1 de $nome, com raiz própria por pivot_root e sem caminho para a raiz antiga: um container em miniatura. Pode sair com exit." \
    "Right: process $P is PID 1 of $nome, with a root of its own by pivot_root and no path to the old root: a container in miniature. You may leave with exit."
