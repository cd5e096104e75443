import { closeSync, openSync, writeSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ContainerPty, INPUT_BACKLOG_MAX } from "./container-pty";
import { fdinfoNonBlocking, isNonBlocking, setNonBlocking } from "./nonblocking";

/** A PTY master opened as runc opens one: blocking. Nobody opens its other end, so nothing reads what is written. */
const blockingMaster = () => openSync("/dev/ptmx", "r+");

describe("non-blocking PTY masters", () => {
  it("reads O_NONBLOCK from /proc/self/fdinfo's octal flags", () => {
    expect(fdinfoNonBlocking("pos:\t0\nflags:\t0104002\nmnt_id:\t25\n")).toBe(true);
    expect(fdinfoNonBlocking("pos:\t0\nflags:\t0100002\nmnt_id:\t25\n")).toBe(false);
    expect(() => fdinfoNonBlocking("pos:\t0\n")).toThrow(/flags/);
  });

  it("sets the flag through a child sharing the descriptor; a full master then refuses at once instead of hanging", async () => {
    const fd = blockingMaster();
    expect(isNonBlocking(fd)).toBe(false);
    await setNonBlocking(fd);
    expect(isNonBlocking(fd)).toBe(true);
    let err: NodeJS.ErrnoException | undefined;
    try {
      for (let i = 0; i < 10_000; i++) writeSync(fd, Buffer.alloc(1024, "x"));
    } catch (e) {
      err = e as NodeJS.ErrnoException;
    }
    expect(err?.code).toBe("EAGAIN");
    closeSync(fd);
  });

  it("ContainerPty refuses a blocking master, and keeps at most INPUT_BACKLOG_MAX of input nobody reads (the rest refused)", async () => {
    const blocking = blockingMaster();
    expect(() => new ContainerPty(blocking, { cols: 80, rows: 24 })).toThrow(/non-blocking/);
    closeSync(blocking);

    const fd = blockingMaster();
    await setNonBlocking(fd);
    const p = new ContainerPty(fd, { cols: 80, rows: 24 });
    const chunk = Buffer.alloc(64 * 1024, "y");
    const answers: boolean[] = [];
    for (let i = 0; i < 40; i++) answers.push(p.write(chunk)); // 2.5 MiB: returns at once, whatever the kernel takes
    expect(answers[0]).toBe(true);
    expect(answers.at(-1)).toBe(false); // dropped, and the caller is told
    expect(p.droppedInput).toBe(answers.filter((a) => !a).length * chunk.length);
    expect(p.droppedInput).toBeLessThanOrEqual(40 * chunk.length - INPUT_BACKLOG_MAX);
    p.kill();
  });
});
