import { describe, expect, it } from "vitest";
import { loadProgress, openSandbox, runChecks } from "./sandbox";

/** Bad arguments are refused before anything (cookie, database, runner) is touched. */
describe("sandbox actions parse what the browser sends", () => {
  it.each([
    ["a traversing lesson id", () => runChecks("../../etc/passwd", "manual", "en")],
    ["an encoded traversing lesson id", () => openSandbox("..%2f..%2fsecret", "en")],
    ["a lesson id that is not a string", () => loadProgress(42 as unknown as string)],
    ["an unknown trigger", () => runChecks("01-o-que-e-docker", "always" as "auto", "en")],
    ["an unknown locale", () => openSandbox("01-o-que-e-docker", "xx")],
  ])("refuses %s with a code the page words clearly", async (_what, call) => {
    const r = await call();
    // The words are the catalogue's `sandboxErrors.invalid-input` (app/_i18n/sandbox-errors.test.ts).
    expect(r).toEqual({ ok: false, code: "invalid-input" });
  });
});
