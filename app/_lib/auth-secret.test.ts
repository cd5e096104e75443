import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadOrCreateSecret } from "./auth-secret";

describe("loadOrCreateSecret", () => {
  it("generates once with mode 0600 and then reuses it; env wins", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sec-"));
    const a = loadOrCreateSecret(dir, undefined);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(path.join(dir, "secret")).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecret(dir, undefined)).toBe(a);
    expect(loadOrCreateSecret(dir, "x".repeat(20))).toBe("x".repeat(20));
    expect(() => loadOrCreateSecret(dir, "short")).toThrow(/at least 16/);
  });
});
