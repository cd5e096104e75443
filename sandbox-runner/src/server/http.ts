import fs from "node:fs";
import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import { z } from "zod";
import type { Logger } from "pino";
import type { RunnerLimits } from "../../../contract/types";
import { SANDBOX_ID_RE, recordingPath } from "../terminal/recorder";
import type { RecordingStore } from "../terminal/recording-store";
import type { TerminalHub } from "../terminal/hub";
import { TERMINAL_ID_RE } from "../../../contract/protocol";
import type { Metrics } from "./metrics";
import type { SandboxPort } from "./port";
import { randomBytes } from "node:crypto";
import { CHECK_OUTPUT_MAX, MAX_BATCH_CHECKS, runCheckBatch } from "../sandbox/check-batch";
import type { SandboxEnsurer } from "./ensure";
import { verifyToken } from "../../../contract/token";
import { RunnerFault } from "../../../contract/faults";
import type { DrainSwitch } from "./drain";

export { SANDBOX_ID_RE };

export interface HttpDeps {
  sandboxes: SandboxPort;
  terminals: TerminalHub;
  /** The app's public key (SPKI PEM): the only key whose tokens this runner accepts. */
  publicKey: string;
  /** This runner's name: tokens for any other runner are refused. */
  runnerName: string;
  runnerDir: string;
  recordings: RecordingStore;
  metrics: Metrics;
  log: Logger;
  fleet?: { name?: string; capacity?: number };
  limits: Partial<RunnerLimits> & { terminalsPerSandbox: number };
  ensurer: SandboxEnsurer;
  drain?: DrainSwitch;
}

/** A script the runner runs in a sandbox (exec, a setup step), and how long it may take. */
const scriptField = z
  .string()
  .min(1)
  .max(256 * 1024);
const timeoutField = z
  .number()
  .int()
  .min(100)
  .max(10 * 60_000);
const drainBody = z.object({ draining: z.boolean() }).strict();
const createBody = z
  .object({
    owner: z.string().min(1).max(200),
    /** Start the first terminal's shell with the sandbox (default true). */
    shell: z.boolean().optional(),
    lang: z.enum(["pt-BR", "en"]).optional(),
  })
  .strict();
const execBody = z
  .object({
    script: scriptField,
    timeoutMs: timeoutField.optional(),
    maxOutputBytes: z
      .number()
      .int()
      .min(1)
      .max(16 * 1024 * 1024)
      .optional(),
    stdin: z
      .string()
      .max(1024 * 1024)
      .optional(),
  })
  .strict();
const checksBody = z
  .object({
    checks: z
      .array(
        z
          .object({
            id: z.string().min(1).max(200),
            script: z
              .string()
              .min(1)
              .max(64 * 1024),
            timeoutMs: z.number().int().min(100).max(60_000),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_BATCH_CHECKS),
    /** The runner's owner of the sandbox as the caller knows it: a mismatch answers 404, as for a gone sandbox. */
    owner: z.string().min(1).max(200).optional(),
  })
  .strict();
const ensureBody = z
  .object({
    owner: z.string().min(1).max(200),
    sandboxId: z.string().regex(SANDBOX_ID_RE, "not a sandbox id").optional(),
    lang: z.enum(["pt-BR", "en"]).optional(),
    fresh: z.boolean().optional(),
    setup: z
      .array(
        z
          .object({
            key: z.string().min(1).max(200),
            script: scriptField,
            timeoutMs: timeoutField.optional(),
          })
          .strict(),
      )
      .max(100)
      .optional(),
  })
  .strict();
const idParams = z.object({ id: z.string().regex(SANDBOX_ID_RE, "not a sandbox id") });
/** `?keep=files`: end the sandbox keeping its owner's files (as an idle timeout does); without it, a reset. */
const destroyQuery = z.object({ keep: z.literal("files").optional() }).strict();
const recParams = z.object({
  sandboxId: z.string().regex(SANDBOX_ID_RE, "not a sandbox id"),
  terminalId: z.string().regex(TERMINAL_ID_RE, "not a terminal id"),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const detail = r.error.issues.map((i) => `${i.path.join(".") || what}: ${i.message}`).join("; ");
  throw new RunnerFault("bad-request", `invalid ${what}: ${detail}`);
}

/** Any error as a fault: the runner's own keep their code, anything else is internal (details in the log only). */
function asFault(e: unknown): RunnerFault {
  return e instanceof RunnerFault ? e : new RunnerFault("internal", "internal error in the sandbox runner; see its logs");
}

/** The runner's HTTP API: health, metrics, and (with an app token) sandboxes, exec, terminals, recordings. */
export function createHttpServer(deps: HttpDeps) {
  // Per-request lines would drown the log (the app polls and checks often); errors are still logged,
  // and /metrics counts requests.
  const app = Fastify({ loggerInstance: deps.log, bodyLimit: 2 * 1024 * 1024, disableRequestLogging: true });

  app.setErrorHandler((err, _req, reply) => {
    // Fastify's own errors (bad JSON, body too large) carry a statusCode < 500.
    // (they keep their own status, e.g. 413, under the bad-request code).
    const fst = err as { statusCode?: number; message?: string };
    const own = !!fst.statusCode && fst.statusCode < 500 && !(err instanceof RunnerFault);
    const fault = own ? new RunnerFault("bad-request", fst.message ?? "bad request") : asFault(err);
    const status = own ? fst.statusCode! : fault.status;
    if (fault.code === "internal") deps.log.error({ err }, "request failed");
    deps.metrics.httpErrors.inc({ status: String(status) });
    const retry = fault.retryAfterSeconds;
    void reply
      .code(status)
      .headers(retry ? { "retry-after": String(retry) } : {})
      .send({ error: fault.code, message: fault.message });
  });

  const requireApp = async (req: FastifyRequest) => {
    const h = req.headers.authorization ?? "";
    const m = /^Bearer (\S+)$/.exec(h);
    if (!m) throw new RunnerFault("unauthorized", "send an app token as 'Authorization: Bearer <token>'");
    const r = await verifyToken(deps.publicKey, m[1]!, { runner: deps.runnerName });
    if (!r.ok) throw new RunnerFault("unauthorized", r.message);
    if (r.claims.role !== "app") throw new RunnerFault("forbidden", "this API needs an app token");
  };

  // The app's placement reads the load, the capacity and the name (several runners: docs/deploy-kubernetes.md).
  app.get("/healthz", async () => ({
    ok: true,
    sandboxes: deps.sandboxes.list().length,
    terminals: deps.terminals.count(),
    draining: deps.drain?.on ?? false,
    waiting: deps.ensurer.lineView().waiting,
    ...deps.fleet,
  }));

  app.get("/metrics", async (_req, reply) => {
    void reply.header("content-type", deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });

  app.register(async (v1) => {
    v1.addHook("onRequest", requireApp);

    // What each sandbox may use: the app shows and enforces these from here, never from its own config.
    v1.get("/v1/limits", async () => deps.limits);

    // Draining: no new sandboxes, the ones here live out their time (drain.ts).
    v1.get("/v1/drain", async () => ({ draining: deps.drain?.on ?? false }));
    v1.put("/v1/drain", async (req) => {
      const { draining } = parse(drainBody, req.body, "body");
      if (!deps.drain) throw new RunnerFault("bad-request", "this runner has no drain switch");
      const on = deps.drain.set(draining);
      deps.log.info({ draining: on }, on ? "draining: no new sandboxes" : "drain ended: new sandboxes welcome");
      return { draining: on };
    });
    /** Refuses a new sandbox while draining; an owner's own sandbox is still theirs (a reset is a new one). */
    const refuseNewWhileDraining = (owner: string, fresh = false) => {
      if (!deps.drain?.on) return;
      if (!fresh && deps.sandboxes.list().some((s) => s.owner === owner && (s.state === "running" || s.state === "creating"))) return;
      throw new RunnerFault("draining", "this runner is draining and takes no new sandboxes: place the sandbox on another runner");
    };

    v1.post("/v1/sandboxes", async (req, reply) => {
      const { owner, shell, lang } = parse(createBody, req.body, "body");
      refuseNewWhileDraining(owner);
      const info = await deps.sandboxes.create(owner, { shell, lang });
      return reply.code(201).send(info);
    });

    // The app's one call per lesson open or check: see ensure.ts. 202: no room, the owner's place in line.
    v1.post("/v1/sandboxes/ensure", async (req, reply) => {
      const body = parse(ensureBody, req.body, "body");
      refuseNewWhileDraining(body.owner, body.fresh);
      const r = await deps.ensurer.ensure(body);
      return "queued" in r ? reply.code(202).send(r) : r;
    });

    v1.get("/v1/sandboxes", async () => deps.sandboxes.list());

    v1.get("/v1/sandboxes/:id", async (req) => {
      const { id } = parse(idParams, req.params, "path");
      const info = deps.sandboxes.get(id);
      if (!info) throw new RunnerFault("not-found", `no sandbox with id ${id}: it may have expired; create a new one`);
      return info;
    });

    v1.delete("/v1/sandboxes/:id", async (req, reply: FastifyReply) => {
      const { id } = parse(idParams, req.params, "path");
      const { keep } = parse(destroyQuery, req.query, "query");
      if (!deps.sandboxes.get(id)) throw new RunnerFault("not-found", `no sandbox with id ${id}`);
      await deps.sandboxes.destroy(id, { keepFiles: keep === "files" });
      return reply.code(204).send();
    });

    v1.post("/v1/sandboxes/:id/exec", async (req) => {
      const { id } = parse(idParams, req.params, "path");
      const body = parse(execBody, req.body, "body");
      if (!deps.sandboxes.get(id)) throw new RunnerFault("not-found", `no sandbox with id ${id}`);
      const end = deps.metrics.execDuration.startTimer();
      try {
        return await deps.sandboxes.exec(id, body.script, {
          timeoutMs: body.timeoutMs,
          maxOutputBytes: body.maxOutputBytes,
          stdin: body.stdin,
        });
      } finally {
        end();
      }
    });

    // Every due Check of a lesson in one call: through the sandbox's Check agent, or one exec (sandbox/check-batch.ts, check-agent.ts).
    v1.post("/v1/sandboxes/:id/checks", async (req) => {
      const { id } = parse(idParams, req.params, "path");
      const body = parse(checksBody, req.body, "body");
      const info = deps.sandboxes.get(id);
      if (!info || (body.owner !== undefined && info.owner !== body.owner))
        throw new RunnerFault("not-found", `no sandbox with id ${id} for this owner: it may have expired; create a new one`);
      const end = deps.metrics.execDuration.startTimer();
      const started = Date.now();
      try {
        const results = deps.sandboxes.runChecks
          ? await deps.sandboxes.runChecks(id, body.checks)
          : await runCheckBatch(
              (script, opts) => deps.sandboxes.exec(id, script, opts),
              body.checks,
              randomBytes(16).toString("hex"),
              CHECK_OUTPUT_MAX,
            );
        return { results, durationMs: Date.now() - started };
      } finally {
        end();
      }
    });

    v1.get("/v1/sandboxes/:id/terminals", async (req) => {
      const { id } = parse(idParams, req.params, "path");
      if (!deps.sandboxes.get(id)) throw new RunnerFault("not-found", `no sandbox with id ${id}`);
      return deps.terminals.list(id).map((t) => ({ id: t.id, createdAt: t.createdAt, ...t.size, clients: t.clientCount }));
    });

    // What is left of a sandbox's recordings (after caps and retention), live or not, for the replay.
    v1.get("/v1/recordings/:id", async (req) => {
      const { id } = parse(idParams, req.params, "path");
      await deps.recordings.ready;
      return deps.recordings.list(id);
    });

    v1.get("/v1/recordings/:sandboxId/:terminalId", async (req, reply) => {
      const { sandboxId, terminalId } = parse(recParams, req.params, "path");
      // Both ids are validated against strict patterns above, so the path cannot leave recordings/.
      const file = recordingPath(deps.runnerDir, sandboxId, terminalId);
      try {
        await fs.promises.access(file, fs.constants.R_OK);
      } catch {
        throw new RunnerFault("not-found", `no recording for terminal ${terminalId} of sandbox ${sandboxId}`);
      }
      return reply.header("content-type", "application/x-asciicast").send(fs.createReadStream(file));
    });
  });

  return app;
}
