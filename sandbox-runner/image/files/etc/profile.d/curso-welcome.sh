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
# Lines marked "kept:" or "discarded:" say what happens to the files when the sandbox ends: the
# runner sets CURSO_SAVED_WORK=1 when it keeps a learner's work (SAVED_WORK_MAX_MB_PER_LEARNER > 0).
__curso_welcome=/etc/curso/welcome.pt-BR.txt
[ "${CURSO_LANG-}" != en ] || __curso_welcome=/etc/curso/welcome.en.txt
if [ -r "$__curso_welcome" ]; then
  if [ "${CURSO_SAVED_WORK-}" = 1 ]; then __curso_files=kept; else __curso_files=discarded; fi
  sed -e "s/^$__curso_files://" -e '/^[a-z][a-z]*:/d' "$__curso_welcome"
  unset __curso_files
fi
unset __curso_welcome
