# ~/.bashrc: executed by bash(1) for non-login shells.
# The course's prompt and shell integration live in /etc/curso/shell.sh (also sourced by
# /etc/bash.bashrc); sourcing it again here is harmless and keeps them when bash skips that file.
if [ -r /etc/curso/shell.sh ]; then
    . /etc/curso/shell.sh
fi
