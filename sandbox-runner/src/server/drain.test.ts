import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DrainSwitch } from "./drain";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "drain-"));
  dirs.push(d);
  return d;
}

describe("DrainSwitch", () => {
  it("is off until set, on after, off again after a resume; a second switch on the same file agrees (a restarted runner)", () => {
    const file = path.join(tmp(), "draining");
    const a = new DrainSwitch(file);
    expect(a.on).toBe(false);
    expect(a.set(true)).toBe(true);
    expect(new DrainSwitch(file).on).toBe(true);
    expect(a.set(false)).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
    expect(a.set(false)).toBe(false); // resuming twice is no error
  });

  it("an operator's own file (touch) drains it", () => {
    const file = path.join(tmp(), "draining");
    fs.writeFileSync(file, "");
    expect(new DrainSwitch(file).on).toBe(true);
  });
});
