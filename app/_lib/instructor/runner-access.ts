import fs from "node:fs";
import path from "node:path";
import { loadRunnerConfig } from "@runner/config/config";
import { RunnerClient } from "@runner/client/runner-client";
import { getViewer } from "../dal";
import { getObservableSandbox, noteRecording } from "../dal/teaching";
import { runnerApi, runnerWsUrl, signRunnerToken } from "../runner";
import { platformSecret } from "../secret";

/**
 * What instructors reach in the runner, always after the data-access layer said yes: a learner's
 * live Terminals (through an OBSERVER token, which the runner never lets type) and the asciicast
 * recordings of every Terminal the learner used.
 */
const OBSERVER_TOKEN_SECONDS = 60;
const TERMINAL_ID = /^t-[a-z0-9]{1,32}$/;

let client: RunnerClient | undefined;
function runner(): RunnerClient {
  client ??= new RunnerClient({ baseUrl: loadRunnerConfig().runnerUrl, secret: platformSecret() });
  return client;
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
  const info = s.endedAt
    ? null
    : await runnerApi()
        .getSandbox(sandboxId)
        .catch(() => null);
  if (!info || info.owner !== s.userId || info.state !== "running") return null;
  const terminals = (await runnerApi().listTerminals(sandboxId)).map((t) => t.id);
  // `sub` is the instructor (the runner logs who watched); role "observer" means no input, no resize.
  const watcher = (await getViewer())!.userId; // getObservableSandbox above proved a signed-in viewer
  const { token } = await signRunnerToken({ sub: watcher, sid: sandboxId, role: "observer" }, OBSERVER_TOKEN_SECONDS);
  return { live: true, wsUrl: runnerWsUrl(pageHost), token, terminals };
}

/**
 * The Terminals of a sandbox that have (or had) a recording: those the app noted before, the ones
 * the runner still has, and the files in the runner's recordings folder when it shares this host.
 */
export async function recordedTerminals(sandboxId: string): Promise<string[]> {
  const s = await getObservableSandbox(sandboxId);
  const ids = new Set(s.recordings.map((r) => r.terminalId));
  const cfg = loadRunnerConfig();
  if (!s.endedAt) {
    const live = await runnerApi()
      .listTerminals(sandboxId)
      .catch(() => []);
    for (const t of live) ids.add(t.id);
  }
  const dir = path.join(/*turbopackIgnore: true*/ cfg.runnerDir, "recordings", sandboxId);
  let files: string[] = [];
  try {
    files = fs.readdirSync(dir); // absent when the runner runs on another host: the other sources remain
  } catch {
    /* no local folder */
  }
  for (const f of files) if (f.endsWith(".cast") && TERMINAL_ID.test(f.slice(0, -5))) ids.add(f.slice(0, -5));
  const out = [...ids].filter((id) => TERMINAL_ID.test(id)).sort();
  for (const id of out)
    if (!s.recordings.some((r) => r.terminalId === id)) await noteRecording(sandboxId, id, `recordings/${sandboxId}/${id}.cast`);
  return out;
}

/** The asciicast text of one Terminal, or null when the runner has none. */
export async function recordingText(sandboxId: string, terminalId: string): Promise<string | null> {
  await getObservableSandbox(sandboxId);
  if (!TERMINAL_ID.test(terminalId)) return null;
  return runner().recording(sandboxId, terminalId);
}
