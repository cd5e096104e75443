# Aprendendo Docker: the sandbox shell's prompt and shell integration.
# Sourced by /etc/bash.bashrc and /root/.bashrc for interactive bash shells; safe to source twice.
#
# Shell integration (the FinalTerm / VS Code "133" marks): the prompt starts with OSC 133;A and
# ends with OSC 133;B; when a command has run, OSC 133;D;<exit status> is printed before the next
# prompt. The sandbox runner reads the D mark to know a command finished and how.
[ -n "${BASH_VERSION-}" ] || return 0
case $- in *i*) ;; *) return 0 ;; esac
[ -z "${__curso_shell-}" ] || return 0
__curso_shell=1

# A command ran when the DEBUG trap saw it start, or when the history grew (a subshell such as
# "(exit 7)" runs without the DEBUG trap of this shell). Cleared when the prompt is printed.
__curso_ran=
__curso_at_prompt=
__curso_hist=

__curso_preexec() {
  # Only the first simple command after a prompt counts; completion and our own hook do not.
  [ -n "$__curso_at_prompt" ] || return 0
  [ -z "${COMP_LINE-}" ] || return 0
  [ "$BASH_COMMAND" != "__curso_precmd" ] || return 0
  __curso_at_prompt=
  __curso_ran=1
  printf '\033]133;C\007'
}

__curso_precmd() {
  local status=$?
  if [ -n "$__curso_hist" ] && [ "$HISTCMD" != "$__curso_hist" ]; then __curso_ran=1; fi
  __curso_hist=$HISTCMD
  if [ -n "$__curso_ran" ]; then
    printf '\033]133;D;%s\007' "$status"
  fi
  __curso_ran=
  __curso_at_prompt=1
  return $status
}

trap '__curso_preexec' DEBUG
PROMPT_COMMAND=__curso_precmd

# A friendly prompt: exit status when it was not 0, then user@host:dir. Colours only on a terminal
# that has them.
__curso_status() {
  local s=$?
  [ "$s" -eq 0 ] || printf '[%s] ' "$s"
  return $s
}
if [ -n "${TERM-}" ] && [ "$TERM" != dumb ]; then
  PS1='\[\033]133;A\007\]\[\033[31m\]$(__curso_status)\[\033[1;32m\]\u@\h\[\033[0m\]:\[\033[1;34m\]\w\[\033[0m\]\$ \[\033]133;B\007\]'
else
  PS1='\[\033]133;A\007\]$(__curso_status)\u@\h:\w\$ \[\033]133;B\007\]'
fi

alias ls='ls --color=auto'
alias ll='ls -l'
alias la='ls -la'
alias grep='grep --color=auto'
# Whitespace-only lines stay out of the history, so they do not count as a command that ran.
HISTCONTROL=ignorespace
export EDITOR=nano VISUAL=nano PAGER=less LESS=-R

if [ -f /usr/share/bash-completion/bash_completion ] && ! shopt -oq posix; then
  . /usr/share/bash-completion/bash_completion
fi
