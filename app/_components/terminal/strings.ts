/**
 * UI strings of the terminal panel, kept beside the component (keyed by locale) so the app's
 * messages files stay with the page owner and parallel work does not collide.
 */
const ptBR = {
  regionLabel: "Terminal do sandbox",
  tabsLabel: "Terminais",
  tab: (n: number) => `Terminal ${n}`,
  addTab: "Novo terminal",
  closeTab: (n: number) => `Fechar terminal ${n}`,
  fontSmaller: "Diminuir fonte",
  fontLarger: "Aumentar fonte",
  copy: "Copiar",
  paste: "Colar",
  screenReader: "Modo leitor de tela",
  reset: "Reiniciar sandbox",
  resetConfirmTitle: "Reiniciar o sandbox?",
  resetConfirmBody:
    "O container será destruído e um novo será criado a partir da imagem do curso. Os arquivos que você criou no sandbox serão perdidos; o seu progresso no curso fica guardado.",
  resetConfirm: "Sim, reiniciar",
  cancel: "Cancelar",
  resetting: "Reiniciando o sandbox…",
  resetDone: "Sandbox reiniciado: este é um container novo, criado da imagem do curso.",
  status: {
    connecting: "conectando",
    connected: "conectado",
    reconnecting: "reconectando",
    disconnected: "desconectado",
  },
  statusLabel: "Estado da conexão",
  retry: "Tentar de novo",
  keyboardHint: "Ctrl+Shift+C copia, Ctrl+Shift+V cola.",
  keysHelp: "Teclado: Esc e depois Tab sai do terminal · Ctrl+Shift+C copia · Ctrl+Shift+V cola",
  skipToTerminal: "Pular para o terminal",
  splitLabel: "Redimensionar lição e terminal",
  errors: {
    "runner-down":
      "O serviço de sandboxes não responde. Ele pode estar reiniciando: tente de novo em alguns segundos. Seu progresso está salvo.",
    capacity: "Todos os sandboxes estão ocupados agora. Tente de novo em um minuto; seu progresso está salvo.",
    expired: "Seu sandbox anterior expirou; um novo foi criado.",
    moved:
      "A máquina que tinha o seu sandbox parou. Um sandbox novo foi criado em outra; seu progresso está salvo (refaça só o que estava no terminal).",
    "lost-connection": "A conexão com o terminal caiu. Tentando reconectar… A tela volta como estava.",
    unauthorized: "Sua sessão expirou. Recarregue a página para entrar de novo.",
    "terminal-limit": "Limite de terminais neste sandbox atingido. Feche uma aba para abrir outra.",
    "terminal-unreachable":
      "O terminal não consegue se conectar ao serviço de sandboxes (ele pode estar fora do ar, ou a rede caiu). Tente de novo; seu progresso está salvo.",
    unknown: "Algo deu errado ao abrir o sandbox. Tente de novo.",
  },
};

type Strings = typeof ptBR;

const en: Strings = {
  regionLabel: "Sandbox terminal",
  tabsLabel: "Terminals",
  tab: (n) => `Terminal ${n}`,
  addTab: "New terminal",
  closeTab: (n) => `Close terminal ${n}`,
  fontSmaller: "Smaller font",
  fontLarger: "Larger font",
  copy: "Copy",
  paste: "Paste",
  screenReader: "Screen reader mode",
  reset: "Reset sandbox",
  resetConfirmTitle: "Reset the sandbox?",
  resetConfirmBody:
    "The container will be destroyed and a new one created from the course image. Files you created in the sandbox will be lost; your course progress is kept.",
  resetConfirm: "Yes, reset",
  cancel: "Cancel",
  resetting: "Resetting the sandbox…",
  resetDone: "Sandbox reset: this is a fresh container from the course image.",
  status: {
    connecting: "connecting",
    connected: "connected",
    reconnecting: "reconnecting",
    disconnected: "disconnected",
  },
  statusLabel: "Connection status",
  retry: "Try again",
  keyboardHint: "Ctrl+Shift+C copies, Ctrl+Shift+V pastes.",
  keysHelp: "Keyboard: Esc then Tab leaves the terminal · Ctrl+Shift+C copies · Ctrl+Shift+V pastes",
  skipToTerminal: "Skip to the terminal",
  splitLabel: "Resize lesson and terminal",
  errors: {
    "runner-down": "The sandbox service is not answering. It may be restarting: try again in a few seconds. Your progress is saved.",
    capacity: "All sandboxes are busy right now. Try again in a minute; your progress is saved.",
    expired: "Your previous sandbox expired; a fresh one was created.",
    moved:
      "The machine holding your sandbox stopped. A fresh sandbox was made on another one; your progress is saved (only what was in the terminal needs redoing).",
    "lost-connection": "The terminal connection dropped. Reconnecting… The screen comes back as it was.",
    unauthorized: "Your session expired. Reload the page to sign in again.",
    "terminal-limit": "This sandbox has reached its terminal limit. Close a tab to open another.",
    "terminal-unreachable":
      "The terminal cannot reach the sandbox service (it may be down, or the network dropped). Try again; your progress is saved.",
    unknown: "Something went wrong while opening the sandbox. Try again.",
  },
};

export function terminalStrings(locale: string): Strings {
  return locale.startsWith("en") ? en : ptBR;
}
export type TerminalStrings = Strings;
