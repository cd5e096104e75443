import pino, { type Logger } from "pino";

/** Structured JSON logs (one line per event); `redact` keeps tokens out of them. */
export function createLogger(level: string, dest?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: "sandbox-runner" }, redact: ["req.headers.authorization", "token", "*.token"] }, dest);
}
export type { Logger };
