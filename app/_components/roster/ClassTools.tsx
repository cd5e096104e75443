"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { useHydrated } from "@/_components/auth/useHydrated";
import {
  archiveClassAction,
  assignmentsAction,
  deleteClassAction,
  inviteAction,
  messageAction,
  renameClassAction,
  rotateCodeAction,
} from "@/_lib/actions/roster";
import { ErrorLine, useRosterAction } from "./useAction";
import "./roster.css";

export interface LessonChoice {
  id: string;
  title: string;
  /** ISO due date when assigned with one */
  dueAt: string | null;
  assigned: boolean;
}

/** A datetime-local value in the browser's time zone (the instructor's), from an ISO instant. */
function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The class page's tools: message the class, invite, assignments, and the class's settings. */
export default function ClassTools(props: {
  classId: string;
  name: string;
  archived: boolean;
  joinPath: string;
  classesHref: string;
  lessons: LessonChoice[];
}) {
  const t = useTranslations("roster");
  const ready = useHydrated();
  return (
    <div className="roster-tools">
      <MessageClass classId={props.classId} ready={ready} t={t} />
      <BulkInvite classId={props.classId} joinPath={props.joinPath} ready={ready} t={t} />
      <Assignments classId={props.classId} lessons={props.lessons} ready={ready} t={t} />
      <Settings {...props} ready={ready} t={t} />
    </div>
  );
}

type T = ReturnType<typeof useTranslations<"roster">>;

function MessageClass({ classId, ready, t }: { classId: string; ready: boolean; t: T }) {
  const a = useRosterAction();
  const [body, setBody] = useState("");
  const [sent, setSent] = useState(false);
  return (
    <details className="form-card roster-card">
      <summary>{t("messageClass")}</summary>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setSent(false);
          if (await a.run(() => messageAction(classId, null, body), false)) {
            setBody("");
            setSent(true);
          }
        }}
      >
        <label className="field">
          <span className="field__label">{t("messageText")}</span>
          <textarea value={body} onChange={(e) => setBody(e.target.value)} maxLength={500} rows={2} required />
        </label>
        <button className="btn btn--primary" type="submit" disabled={!ready || a.busy}>
          {t("send")}
        </button>
        <span role="status" className="small muted">
          {sent ? t("sent") : ""}
        </span>
        <ErrorLine error={a.error} />
      </form>
    </details>
  );
}

function BulkInvite({ classId, joinPath, ready, t }: { classId: string; joinPath: string; ready: boolean; t: T }) {
  const a = useRosterAction();
  const [list, setList] = useState("");
  const [issued, setIssued] = useState<{ label: string; token: string }[]>([]);
  const link = (token: string) => `${window.location.origin}${joinPath.replace("__CODE__", token)}`;
  return (
    <details className="form-card roster-card">
      <summary>{t("invite")}</summary>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await a.run(() => inviteAction(classId, list), false);
          if (r) {
            setIssued(r.invites);
            setList("");
          }
        }}
      >
        <label className="field">
          <span className="field__label">{t("inviteList")}</span>
          <textarea value={list} onChange={(e) => setList(e.target.value)} rows={5} required data-testid="invite-list" />
        </label>
        <p className="small muted">{t("inviteHelp")}</p>
        <button className="btn btn--primary" type="submit" disabled={!ready || a.busy}>
          {t("inviteCreate")}
        </button>
        <ErrorLine error={a.error} />
      </form>
      {issued.length > 0 && (
        <div role="status">
          <p>{t("inviteDone", { n: issued.length })}</p>
          <table className="roster-table" data-testid="invites">
            <thead>
              <tr>
                <th scope="col">{t("invitePerson")}</th>
                <th scope="col">{t("inviteCode")}</th>
                <th scope="col">{t("inviteLink")}</th>
              </tr>
            </thead>
            <tbody>
              {issued.map((i) => (
                <tr key={i.token}>
                  <td>{i.label}</td>
                  <td>
                    <code>{i.token}</code>
                  </td>
                  <td>
                    <code className="roster-link">{link(i.token)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            className="btn btn--ghost btn--small"
            onClick={() => void navigator.clipboard?.writeText(issued.map((i) => `${i.label}\t${i.token}\t${link(i.token)}`).join("\n"))}
          >
            {t("copyAll")}
          </button>
        </div>
      )}
    </details>
  );
}

function Assignments({ classId, lessons, ready, t }: { classId: string; lessons: LessonChoice[]; ready: boolean; t: T }) {
  const a = useRosterAction();
  const [rows, setRows] = useState(() => lessons.map((l) => ({ ...l, due: toLocalInput(l.dueAt) })));
  const [saved, setSaved] = useState(false);
  return (
    <details className="form-card roster-card">
      <summary>{t("assignments")}</summary>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setSaved(false);
          // datetime-local is the instructor's own time zone; the server stores the instant.
          const list = rows.filter((r) => r.assigned).map((r) => ({ lessonId: r.id, dueAt: r.due ? new Date(r.due).toISOString() : null }));
          if (await a.run(() => assignmentsAction(classId, list))) setSaved(true);
        }}
      >
        <p className="small muted">{t("assignmentsHelp")}</p>
        <table className="roster-table">
          <thead>
            <tr>
              <th scope="col">{t("lesson")}</th>
              <th scope="col">{t("dueAt")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.id}>
                <td>
                  <label className="check-field">
                    <input
                      type="checkbox"
                      checked={r.assigned}
                      data-testid={`assign-${r.id}`}
                      onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, assigned: e.target.checked } : x)))}
                    />
                    {r.title}
                  </label>
                </td>
                <td>
                  <input
                    type="datetime-local"
                    aria-label={t("dueFor", { lesson: r.title })}
                    value={r.due}
                    disabled={!r.assigned}
                    onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, due: e.target.value } : x)))}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button className="btn btn--primary" type="submit" disabled={!ready || a.busy}>
          {t("save")}
        </button>
        <span role="status" className="small muted">
          {saved ? t("saved") : ""}
        </span>
        <ErrorLine error={a.error} />
      </form>
    </details>
  );
}

function Settings(props: { classId: string; name: string; archived: boolean; classesHref: string; ready: boolean; t: T }) {
  const { t, classId, ready } = props;
  const a = useRosterAction();
  const [name, setName] = useState(props.name);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [typed, setTyped] = useState("");
  return (
    <details className="form-card roster-card">
      <summary>{t("settings")}</summary>
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          await a.run(() => renameClassAction(classId, name));
        }}
      >
        <label className="field">
          <span className="field__label">{t("rename")}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
        </label>
        <button className="btn btn--ghost" type="submit" disabled={!ready || a.busy}>
          {t("save")}
        </button>
      </form>
      <div className="roster-row">
        {confirmRotate ? (
          <>
            <span>{t("rotateConfirm")}</span>
            {/* The button that asked is gone: focus moves to the answer, so a keyboard user is not lost. */}
            <button
              type="button"
              className="btn btn--primary btn--small"
              autoFocus
              disabled={a.busy}
              onClick={async () => {
                if (await a.run(() => rotateCodeAction(classId))) setConfirmRotate(false);
              }}
            >
              {t("rotateYes")}
            </button>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => setConfirmRotate(false)}>
              {t("cancel")}
            </button>
          </>
        ) : (
          <button type="button" className="btn btn--ghost btn--small" disabled={!ready} onClick={() => setConfirmRotate(true)}>
            {t("rotate")}
          </button>
        )}
        <button
          type="button"
          className="btn btn--ghost btn--small"
          disabled={!ready || a.busy}
          onClick={() => void a.run(() => archiveClassAction(classId, !props.archived))}
        >
          {props.archived ? t("unarchive") : t("archive")}
        </button>
      </div>
      <form
        className="roster-danger"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await a.run(() => deleteClassAction(classId, typed), false)) window.location.assign(props.classesHref);
        }}
      >
        <p className="small">{t("deleteHelp", { name: props.name })}</p>
        <label className="field">
          <span className="field__label">{t("deleteType")}</span>
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" data-testid="delete-confirm" />
        </label>
        <button className="btn btn--danger" type="submit" disabled={!ready || a.busy || typed.trim() !== props.name}>
          {t("delete")}
        </button>
      </form>
      <ErrorLine error={a.error} />
    </details>
  );
}
