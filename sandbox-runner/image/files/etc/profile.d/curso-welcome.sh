# Aprendendo Docker: the welcome text, once per interactive login shell.
# In English when the sandbox's language is en; Portuguese (pt-BR) otherwise. The app writes the
# page's language to /etc/curso/lang whenever it opens the sandbox for a page, so the file wins over
# the CURSO_LANG the sandbox was started with (the learner may have switched the site's language).
if [ -r /etc/curso/lang ]; then
  __curso_lang=$(cat /etc/curso/lang)
  [ -z "$__curso_lang" ] || CURSO_LANG=$__curso_lang
  unset __curso_lang
fi
[ -z "${CURSO_LANG-}" ] || export CURSO_LANG
case $- in *i*) ;; *) return 0 2>/dev/null || exit 0 ;; esac
if [ "${CURSO_LANG-}" = en ] && [ -r /etc/curso/welcome.en.txt ]; then
  cat /etc/curso/welcome.en.txt
elif [ -r /etc/curso/welcome.pt-BR.txt ]; then
  cat /etc/curso/welcome.pt-BR.txt
fi
