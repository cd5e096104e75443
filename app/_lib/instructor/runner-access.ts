import "server-only";
import { RunnerClient } from "@contract/runner-client";
import { getViewer } from "../dal";
import { getObservableSandbox, noteRecording } from "../dal/teaching";
import { ownsSandboxAs } from "../dal/claim";
import { db } from "../db";
import { runnerApiOn, runnerNamed, runnerWsUrlOf, signRunnerToken } from "../runner";
import type { RunnerEndpoint } from "../fleet/config";
import { tokenSigningKey } from "../secret";

/**
 * What instructors reach in the runner, always after the data-access layer said yes: a learner's
 * live Terminals (through an OBSERVER token, which the runner never lets type) and the asciicast
 * recordings of every Terminal the learner used.
 */
const OBSERVER_TOKEN_SECONDS = 60;
const TERMINAL_ID = /^t-[a-z0-9]{1,32}$/;

// One client per runner: a learner's sandbox and recordings live on the runner their session names
// (its name is the audience of the tokens made for it).
const clients = new Map<string, RunnerClient>();
function runner(r: RunnerEndpoint): RunnerClient {
  const key = `${r.name} ${r.url}`;
  let c = clients.get(key);
  if (!c) {
    c = new RunnerClient({ baseUrl: r.url, privateKey: tokenSigningKey(), runner: r.name });
    clients.set(key, c);
  }
  return c;
}

export interface ObserverConnection {
  live: boolean;
  wsUrl: string;
  token: string;
  terminals: string[];
}

/** An observer token for a learner's running sandbox (null when it is not running any more). */
export async function observerConnection(sandboxId: string, pageHost: string | null): Promise<ObserverConnection | null> {
  const s = await getObservableSandbox(sandboxId);
  const where = runnerNamed(s.runner);
  const info = s.endedAt
    ? null
    : await runnerApiOn(where)
        .getSandbox(sandboxId)
        .catch(() => null);
  if (!info || info.state !== "running" || !(await ownsSandboxAs(db(), info.owner, s.userId))) return null;
  const terminals = (await runnerApiOn(where).listTerminals(sandboxId)).map((t) => t.id);
  // `sub` is the instructor (the runner logs who watched); role "observer" means no input, no resize.
  const watcher = (await getViewer())!.userId; // getObservableSandbox above proved a signed-in viewer
  const { token } = await signRunnerToken({ sub: watcher, sid: sandboxId, role: "observer" }, OBSERVER_TOKEN_SECONDS, where.name);
  return { live: true, wsUrl: runnerWsUrlOf(where, pageHost), token, terminals };
}

/**
 * The Terminals of a sandbox that have a recording. The runner's list is the truth when it answers
 * (its caps and retention delete recordings, so an id the app noted once may have none left);
 * otherwise those the app noted before and the live Terminals (the app never reads the runner's
 * disk: a runner may live on another host).
 */
export async function recordedTerminals(sandboxId: string): Promise<string[]> {
  const s = await getObservableSandbox(sandboxId);
  const kept = await runner(runnerNamed(s.runner))
    .listRecordings(sandboxId)
    .catch(() => null);
  const ids = new Set(kept ? kept.map((r) => r.terminalId) : await formerlyRecorded(sandboxId, s));
  const out = [...ids].filter((id) => TERMINAL_ID.test(id)).sort();
  for (const id of out)
    if (!s.recordings.some((r) => r.terminalId === id)) await noteRecording(sandboxId, id, `recordings/${sandboxId}/${id}.cast`);
  return out;
}

/** Without the runner's list: what the app noted, the live Terminals, and the local folder. */
async function formerlyRecorded(
  sandboxId: string,
  s: { endedAt: Date | null; runner: string | null; recordings: { terminalId: string }[] },
): Promise<string[]> {
  const ids = new Set(s.recordings.map((r) => r.terminalId));
  if (!s.endedAt) {
    const live = await runnerApiOn(runnerNamed(s.runner))
      .listTerminals(sandboxId)
      .catch(() => []);
    for (const t of live) ids.add(t.id);
  }
  return [...ids];
}

/** The asciicast text of one Terminal, or null when the runner has none. */
export async function recordingText(sandboxId: string, terminalId: string): Promise<string | null> {
  const s = await getObservableSandbox(sandboxId);
  if (!TERMINAL_ID.test(terminalId)) return null;
  return runner(runnerNamed(s.runner)).recording(sandboxId, terminalId);
}
