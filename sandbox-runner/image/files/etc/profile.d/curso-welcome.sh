# Aprendendo Docker: the welcome text, once per interactive login shell.
# CURSO_LANG=en shows it in English; Portuguese (pt-BR) otherwise. The app writes the learner's
# language to /etc/curso/lang when it opens the sandbox for a page.
if [ -z "${CURSO_LANG-}" ] && [ -r /etc/curso/lang ]; then
  CURSO_LANG=$(cat /etc/curso/lang)
  export CURSO_LANG
fi
case $- in *i*) ;; *) return 0 2>/dev/null || exit 0 ;; esac
if [ "${CURSO_LANG-}" = en ] && [ -r /etc/curso/welcome.en.txt ]; then
  cat /etc/curso/welcome.en.txt
elif [ -r /etc/curso/welcome.pt-BR.txt ]; then
  cat /etc/curso/welcome.pt-BR.txt
fi
