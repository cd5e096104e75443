import type { OpenSandboxResult } from "@/_lib/actions/sandbox";
import type { SandboxChangedDetail } from "../exercises/events";

/** Keys of `terminal.*` or `sandboxErrors.*` the panel shows as a dismissable notice. */
export type NoticeKey = "expired" | "moved" | "resetting" | "resetDone" | "terminal-limit" | "input-dropped";

type Adopted = Pick<Extract<OpenSandboxResult, { ok: true }>, "notice" | "savedWork">;

/**
 * The terminal's notice when it adopts a sandbox, or null. One notice per event: a fresh sandbox
 * that replaced an expired one and brought the learner's files back (or says why not) is told by
 * the saved-work notice alone; "expired" beside it would say the same end twice, and wrongly
 * suggest the files were lost.
 */
export function adoptNotice(s: Adopted, reason: SandboxChangedDetail["reason"]): NoticeKey | null {
  if (s.notice === "moved") return "moved";
  if (s.notice !== "expired" && reason !== "expired") return null;
  return s.savedWork ? null : "expired";
}
