/** UI strings of the exercise checklist, keyed by locale (kept here to avoid editing the app's messages files). */
const ptBR = {
  heading: "Exercícios",
  check: "Verificar",
  checking: "Verificando…",
  pending: "ainda não tentado",
  passed: "ok",
  failed: "ainda não",
  autoNote: "As verificações rodam sozinhas depois de cada comando no terminal.",
  hint: (n: number, total: number) => `Dica ${n} de ${total}`,
  showHint: "Mostrar uma dica",
  noMoreHints: "Sem mais dicas.",
  showSolution: "Ver a solução",
  solutionOffered: (fails: number) => `${fails} verificações sem sucesso. Está difícil? Você pode ver a solução.`,
  passedAt: "Concluído em",
  solution: "Solução",
  explanation: "Por que funciona",
  goal: "Objetivo",
  allDone: "Todos os exercícios desta lição estão completos.",
  errors: {
    "runner-down": "O serviço de sandboxes não responde; a verificação será feita de novo depois. Seu progresso está salvo.",
    capacity: "Todos os sandboxes estão ocupados; tente verificar de novo em um minuto.",
    expired: "Seu sandbox expirou; um novo foi criado. Refaça os comandos do exercício e verifique de novo.",
    unauthorized: "Sua sessão expirou. Recarregue a página.",
    unknown: "Não foi possível verificar agora. Tente de novo.",
  },
};
type Strings = typeof ptBR;
const en: Strings = {
  heading: "Exercises",
  check: "Check",
  checking: "Checking…",
  pending: "not tried yet",
  passed: "ok",
  failed: "not yet",
  autoNote: "Checks run by themselves after each command in the terminal.",
  hint: (n, total) => `Hint ${n} of ${total}`,
  showHint: "Show a hint",
  noMoreHints: "No more hints.",
  showSolution: "Show the solution",
  solutionOffered: (fails) => `${fails} checks without success. Stuck? You can see the solution.`,
  passedAt: "Completed on",
  solution: "Solution",
  explanation: "Why it works",
  goal: "Goal",
  allDone: "Every exercise of this lesson is complete.",
  errors: {
    "runner-down": "The sandbox service is not answering; checks will run again later. Your progress is saved.",
    capacity: "All sandboxes are busy; try checking again in a minute.",
    expired: "Your sandbox expired; a fresh one was created. Redo the exercise's commands and check again.",
    unauthorized: "Your session expired. Reload the page.",
    unknown: "Could not check right now. Try again.",
  },
};
export function exerciseStrings(locale: string): Strings {
  return locale.startsWith("en") ? en : ptBR;
}
