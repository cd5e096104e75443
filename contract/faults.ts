import { CloseCode, type CloseCodeValue } from "./protocol";

/**
 * Every refusal the runner gives, by code, with the HTTP status and WebSocket close code it maps to:
 * the one table both endpoints read, so an HTTP caller and a terminal client hear the same thing.
 * The code is also the `error` field of an HTTP error body.
 */
export const FAULTS = {
  "bad-request": { status: 400, close: CloseCode.MALFORMED_FRAME },
  unauthorized: { status: 401, close: CloseCode.BAD_TOKEN },
  "token-expired": { status: 401, close: CloseCode.TOKEN_EXPIRED },
  forbidden: { status: 403, close: CloseCode.FORBIDDEN },
  "not-found": { status: 404, close: CloseCode.SANDBOX_GONE },
  "terminal-not-found": { status: 404, close: CloseCode.TERMINAL_NOT_FOUND },
  "not-running": { status: 409, close: CloseCode.SANDBOX_GONE },
  "too-many-terminals": { status: 409, close: CloseCode.TOO_MANY_TERMINALS },
  busy: { status: 503, close: CloseCode.INTERNAL, retryAfterSeconds: 30 },
  "shutting-down": { status: 503, close: CloseCode.SERVER_SHUTDOWN, retryAfterSeconds: 10 },
  /** The runner is draining: no new sandbox here (the app places it on another runner). */
  draining: { status: 503, close: CloseCode.INTERNAL, retryAfterSeconds: 30 },
  internal: { status: 500, close: CloseCode.INTERNAL },
} as const satisfies Record<string, Fault>;
export type FaultCode = keyof typeof FAULTS;
export interface Fault {
  status: number;
  close: CloseCodeValue;
  /** Sent as Retry-After: the refusal is temporary. */
  retryAfterSeconds?: number;
}

/** The runner's one error type: a code from FAULTS and a message that says what to do next. */
export class RunnerFault extends Error {
  constructor(
    readonly code: FaultCode,
    message: string,
  ) {
    super(message);
    this.name = "RunnerFault";
  }
  get status(): number {
    return FAULTS[this.code].status;
  }
  get closeCode(): CloseCodeValue {
    return FAULTS[this.code].close;
  }
  get retryAfterSeconds(): number | undefined {
    const f: Fault = FAULTS[this.code];
    return f.retryAfterSeconds;
  }
}

export const isFault = (e: unknown, ...codes: FaultCode[]): e is RunnerFault =>
  e instanceof RunnerFault && (codes.length === 0 || codes.includes(e.code));
