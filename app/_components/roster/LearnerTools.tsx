"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { useHydrated } from "@/_components/auth/useHydrated";
import { askResetAction, lowerHandAction, messageAction, removeLearnerAction, resetLinkAction } from "@/_lib/actions/roster";
import { ErrorLine, useRosterAction } from "./useAction";
import "./roster.css";

/** The instructor stepping in for one learner: message, sandbox reset (with consent), reset link, hand, removal. */
export default function LearnerTools(props: {
  classId: string;
  learnerId: string;
  name: string;
  handRaised: boolean;
  resetPath: string;
  classHref: string;
}) {
  const t = useTranslations("roster");
  const ready = useHydrated();
  const a = useRosterAction();
  const [body, setBody] = useState("");
  const [note, setNote] = useState("");
  const [link, setLink] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const { classId, learnerId } = props;
  return (
    <section aria-labelledby="step-in" className="form-card roster-card">
      <h2 id="step-in" className="section-title">
        {t("stepIn")}
      </h2>
      {props.handRaised && (
        <p className="roster-row">
          <span data-testid="hand-raised">✋ {t("handRaised")}</span>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            disabled={!ready || a.busy}
            onClick={() => void a.run(() => lowerHandAction(classId, learnerId))}
          >
            {t("lowerHand")}
          </button>
        </p>
      )}
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (await a.run(() => messageAction(classId, learnerId, body))) {
            setBody("");
            setNote(t("sent"));
          }
        }}
      >
        <label className="field">
          <span className="field__label">{t("messageTo", { name: props.name })}</span>
          <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={2} maxLength={500} required />
        </label>
        <button className="btn btn--primary btn--small" type="submit" disabled={!ready || a.busy}>
          {t("send")}
        </button>
      </form>
      <div className="roster-row">
        <button
          type="button"
          className="btn btn--ghost btn--small"
          disabled={!ready || a.busy}
          data-testid="ask-reset"
          onClick={async () => {
            if (await a.run(() => askResetAction(classId, learnerId))) setNote(t("resetAsked"));
          }}
        >
          {t("askReset")}
        </button>
        <button
          type="button"
          className="btn btn--ghost btn--small"
          disabled={!ready || a.busy}
          data-testid="reset-link"
          onClick={async () => {
            const r = await a.run(() => resetLinkAction(classId, learnerId), false);
            if (r) setLink(`${window.location.origin}${props.resetPath}?token=${encodeURIComponent(r.token)}`);
          }}
        >
          {t("resetLink")}
        </button>
        {confirmRemove ? (
          <>
            <span>{t("removeConfirm", { name: props.name })}</span>
            <button
              type="button"
              className="btn btn--danger btn--small"
              disabled={a.busy}
              onClick={async () => {
                if (await a.run(() => removeLearnerAction(classId, learnerId), false)) window.location.assign(props.classHref);
              }}
            >
              {t("removeYes")}
            </button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => setConfirmRemove(false)}>
              {t("cancel")}
            </button>
          </>
        ) : (
          <button type="button" className="btn btn--ghost btn--small" disabled={!ready} onClick={() => setConfirmRemove(true)}>
            {t("remove")}
          </button>
        )}
      </div>
      <p role="status" className="small muted">
        {note}
      </p>
      {link && (
        <div className="copy-field copy-field--link">
          <label className="field">
            <span className="field__label">{t("resetLinkLabel")}</span>
            <input
              readOnly
              value={link}
              size={Math.min(90, link.length)}
              data-testid="reset-link-value"
              onFocus={(e) => e.currentTarget.select()}
            />
          </label>
          <p className="small muted">{t("resetLinkHelp")}</p>
        </div>
      )}
      <ErrorLine error={a.error} />
    </section>
  );
}
