import { describe, expect, it } from "vitest";
import { CloseCode } from "./protocol";
import { FAULTS, RunnerFault, isFault } from "./faults";

describe("the fault table", () => {
  it("maps each refusal once to its HTTP status and close code", () => {
    expect(new RunnerFault("busy", "x")).toMatchObject({ status: 503, closeCode: CloseCode.INTERNAL, retryAfterSeconds: 30 });
    expect(new RunnerFault("shutting-down", "x")).toMatchObject({
      status: 503,
      closeCode: CloseCode.SERVER_SHUTDOWN,
      retryAfterSeconds: 10,
    });
    expect(new RunnerFault("not-found", "x")).toMatchObject({
      status: 404,
      closeCode: CloseCode.SANDBOX_GONE,
      retryAfterSeconds: undefined,
    });
    expect(new RunnerFault("token-expired", "x")).toMatchObject({ status: 401, closeCode: CloseCode.TOKEN_EXPIRED });
    expect(new RunnerFault("too-many-terminals", "x").closeCode).toBe(CloseCode.TOO_MANY_TERMINALS);
  });

  it("gives every code an error status and an application close code", () => {
    for (const [code, f] of Object.entries(FAULTS)) {
      expect(f.status, code).toBeGreaterThanOrEqual(400);
      expect(f.close, code).toBeGreaterThanOrEqual(4000);
    }
  });

  it("isFault tells the runner's faults by code from any other error", () => {
    const e = new RunnerFault("not-running", "stopped");
    expect(isFault(e)).toBe(true);
    expect(isFault(e, "not-found", "not-running")).toBe(true);
    expect(isFault(e, "busy")).toBe(false);
    expect(isFault(Object.assign(new Error("x"), { code: "busy" }), "busy")).toBe(false);
  });
});
