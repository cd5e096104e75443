# System-wide .bashrc file for interactive bash(1) shells (Debian's, plus the course's prompt).

# If not running interactively, don't do anything
[ -z "$PS1" ] && return

# check the window size after each command and, if necessary,
# update the values of LINES and COLUMNS.
shopt -s checkwinsize

# set variable identifying the chroot you work in (used in the prompt below)
if [ -z "${debian_chroot:-}" ] && [ -r /etc/debian_chroot ]; then
    debian_chroot=$(cat /etc/debian_chroot)
fi

PS1='${debian_chroot:+($debian_chroot)}\u@\h:\w\$ '

# Aprendendo Docker: prompt, shell integration marks, aliases (see the file).
if [ -r /etc/curso/shell.sh ]; then
    . /etc/curso/shell.sh
fi
