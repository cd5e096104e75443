import * as pty from "node-pty";
import { describe, expect, it } from "vitest";
import { PreparedShell } from "./prepared-shell";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("PreparedShell (a shell started before its Terminal)", () => {
  it("replays what the shell printed before adoption, then streams, in order, and reports the exit after the output", async () => {
    const p = pty.spawn("sh", ["-c", "printf early-; sleep 0.3; printf late; exit 3"], {
      cols: 80,
      rows: 24,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    const shell = new PreparedShell(p);
    await sleep(150); // "early-" is printed with nobody listening
    const events: string[] = [];
    shell.onData((d) => events.push(d.toString()));
    const exit = new Promise<number>((r) => shell.onExit((e) => (events.push(`exit:${e.exitCode}`), r(e.exitCode))));
    expect(events).toEqual([]); // replay waits for the next turn, after the adopter subscribed
    expect(await exit).toBe(3);
    expect(events.join("")).toBe("early-lateexit:3");
  });

  it("knows when the shell died while waiting, so the manager starts a fresh one", async () => {
    const p = pty.spawn("sh", ["-c", "exit 0"], { cols: 80, rows: 24, env: { PATH: process.env.PATH ?? "/usr/bin:/bin" } });
    const shell = new PreparedShell(p);
    for (let i = 0; i < 100 && !shell.exited; i++) await sleep(20);
    expect(shell.exited).toBe(true);
  });
});
