"use server";

import { z } from "zod";
import { getMyAccount } from "../dal/teaching";
import { fleet, runnerApiOn, toProblem } from "../runner";

/**
 * Admins drain a runner (no new sandboxes; the learners there keep theirs until they end) before
 * taking its machine away, and resume it after. The runner keeps the state (a file in its
 * directory), so every app process, and a restarted app, sees the same thing on /healthz.
 */
export type RunnerActionResult =
  { ok: true; draining: boolean } | { ok: false; code: "forbidden" | "not-found" | "invalid" | "unreachable"; message: string };

export async function setRunnerDrainingAction(name: string, draining: boolean): Promise<RunnerActionResult> {
  const me = await getMyAccount();
  if (me?.role !== "admin") return { ok: false, code: "forbidden", message: "Only admins can drain runners." };
  const input = z.object({ name: z.string().min(1).max(200), draining: z.boolean() }).safeParse({ name, draining });
  if (!input.success) return { ok: false, code: "invalid", message: input.error.issues.map((i) => i.message).join("; ") };
  const registry = fleet();
  const where = registry.endpoint(input.data.name);
  if (!where) return { ok: false, code: "not-found", message: `No runner named ${input.data.name} in RUNNERS.` };
  try {
    const r = await runnerApiOn(where).setDraining(input.data.draining);
    await registry.refresh();
    return { ok: true, draining: r.draining };
  } catch (e) {
    return { ok: false, code: "unreachable", message: toProblem(e).message };
  }
}
