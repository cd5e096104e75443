"use client";

import { useCallback, useEffect, useState } from "react";
import { answerResetAction, raiseHandAction } from "@/_lib/actions/roster";
import "./roster.css";

interface Feed {
  enrolled: boolean;
  handRaised: boolean;
  messages: { id: string; className: string; kind: "text" | "reset"; body: string; createdAt: string; toMe: boolean }[];
}

const WORDS = {
  "pt-BR": {
    region: "Mensagens da turma",
    from: (c: string) => `Do(a) instrutor(a) de ${c}`,
    toYou: "para você",
    dismiss: "Fechar",
    resetAsk: "Seu(sua) instrutor(a) pede para reiniciar seu sandbox: os arquivos e processos dele serão apagados e você recomeça do zero.",
    accept: "Reiniciar agora",
    decline: "Agora não",
    raise: "✋ Pedir ajuda",
    lower: "Baixar a mão",
    raised: "Mão levantada: seu(sua) instrutor(a) vê que você pediu ajuda.",
  },
  en: {
    region: "Class messages",
    from: (c: string) => `From the instructor of ${c}`,
    toYou: "to you",
    dismiss: "Close",
    resetAsk: "Your instructor asks to reset your sandbox: its files and processes will be erased and you start afresh.",
    accept: "Reset now",
    decline: "Not now",
    raise: "✋ Ask for help",
    lower: "Lower my hand",
    raised: "Hand raised: your instructor sees you asked for help.",
  },
} as const;

const SEEN_KEY = "course:dismissed-messages";

function readDismissed(): string[] {
  if (typeof window === "undefined") return [];
  try {
    const v: unknown = JSON.parse(localStorage.getItem(SEEN_KEY) ?? "[]");
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return []; // a broken entry: show everything
  }
}

/**
 * Beside the terminal, for a learner in a class: the instructor's messages, a reset request to
 * accept or decline, and "raise hand". Polls the learner's own feed (/api/me/classroom); renders
 * nothing for a learner in no class. Self-contained, so the lesson page only mounts it.
 */
export default function ClassroomNotice({ lessonId, locale }: { lessonId: string; locale: "pt-BR" | "en" }) {
  const w = WORDS[locale];
  const [feed, setFeed] = useState<Feed | null>(null);
  // Nothing renders before the first feed arrives, so reading storage here cannot break hydration.
  const [dismissed, setDismissed] = useState<string[]>(readDismissed);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const res = await fetch("/api/me/classroom", { credentials: "same-origin", cache: "no-store" }).catch(() => null);
    if (res?.ok) setFeed((await res.json()) as Feed);
  }, []);
  useEffect(() => {
    const first = setTimeout(() => void load(), 0);
    const timer = setInterval(() => void load(), 10_000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [load]);

  if (!feed?.enrolled) return null;
  const dismiss = (id: string) => {
    const next = [...dismissed, id].slice(-100);
    setDismissed(next);
    localStorage.setItem(SEEN_KEY, JSON.stringify(next));
  };
  const shown = feed.messages.filter((m) => !dismissed.includes(m.id)).slice(0, 3);
  const act = async (fn: () => Promise<{ ok: boolean; message?: string }>) => {
    setBusy(true);
    setError(null);
    const r = await fn().catch((e: Error) => ({ ok: false, message: e.message }));
    setBusy(false);
    if (!r.ok) setError(r.message ?? "");
    await load();
    return r.ok;
  };

  return (
    <aside className="classroom-notice" aria-label={w.region} data-testid="classroom-notice">
      {shown.map((m) => (
        <div
          key={m.id}
          className="classroom-notice__msg"
          role={m.kind === "reset" ? "alertdialog" : "status"}
          aria-label={w.from(m.className)}
          data-testid={`notice-${m.kind}`}
        >
          <p className="small muted">
            {w.from(m.className)}
            {m.toMe ? ` · ${w.toYou}` : ""}
          </p>
          {m.kind === "reset" ? (
            <>
              <p>{w.resetAsk}</p>
              <p className="button-row">
                <button
                  type="button"
                  className="btn btn--primary btn--small"
                  disabled={busy}
                  onClick={async () => {
                    // The page's terminal then reconnects to the fresh sandbox.
                    if (await act(() => answerResetAction(m.id, true, lessonId, locale))) window.location.reload();
                  }}
                >
                  {w.accept}
                </button>
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  disabled={busy}
                  onClick={() => void act(() => answerResetAction(m.id, false, lessonId, locale))}
                >
                  {w.decline}
                </button>
              </p>
            </>
          ) : (
            <>
              <p data-testid="notice-body">{m.body}</p>
              <button type="button" className="btn btn--ghost btn--small" onClick={() => dismiss(m.id)}>
                {w.dismiss}
              </button>
            </>
          )}
        </div>
      ))}
      <div className="classroom-notice__msg">
        {feed.handRaised && <p role="status">{w.raised}</p>}
        <button
          type="button"
          className="btn btn--ghost btn--small"
          disabled={busy}
          aria-pressed={feed.handRaised}
          data-testid="raise-hand"
          onClick={() => void act(() => raiseHandAction(!feed.handRaised, lessonId))}
        >
          {feed.handRaised ? w.lower : w.raise}
        </button>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </aside>
  );
}
