/**
 * The console-socket receiver over a real unix socket. The sender here plays runc's part (connect,
 * send one fd with SCM_RIGHTS); real runc is exercised by the sandbox integration tests.
 */
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { USocket } from "usocket";
import { describe, expect, it } from "vitest";
import { ConsoleSocketError, MAX_SOCKET_PATH, receivePtyMaster } from "./console-socket";

const dir = () => mkdtempSync(path.join(os.tmpdir(), "console-"));

/** Connects to `socketPath` and sends `fd` with a name, as runc does with the PTY master. */
function sendFd(socketPath: string, fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = new USocket();
    s.on("error", reject);
    s.on("connected", () => {
      s.write({ data: Buffer.from("/dev/ptmx"), fds: [fd], callback: () => (s.end(), resolve()) });
    });
    s.connect(socketPath);
  });
}

describe("receivePtyMaster", () => {
  it("receives the file descriptor the sender passed, and removes the socket", async () => {
    const sock = path.join(dir(), "c.sock");
    const mine = openSync("/dev/null", "r");
    const fd = await receivePtyMaster(sock, () => sendFd(sock, mine));
    expect(fd).not.toBe(mine);
    // The same open file: same device and inode.
    expect(fstatSync(fd).rdev).toBe(fstatSync(mine).rdev);
    closeSync(fd);
    closeSync(mine);
    expect(existsSync(sock)).toBe(false);
  });

  it("fails with the starter's error when it fails before sending (runc refused)", async () => {
    const sock = path.join(dir(), "c.sock");
    await expect(receivePtyMaster(sock, () => Promise.reject(new Error("runc: container not running")))).rejects.toThrow(
      /container not running/,
    );
    expect(existsSync(sock)).toBe(false);
  });

  it("gives up after the timeout when nothing is sent", async () => {
    const sock = path.join(dir(), "c.sock");
    await expect(receivePtyMaster(sock, () => new Promise<void>(() => undefined), 200)).rejects.toBeInstanceOf(ConsoleSocketError);
    expect(existsSync(sock)).toBe(false);
  });

  it("refuses a path longer than a unix socket can have", async () => {
    const sock = path.join(dir(), "x".repeat(MAX_SOCKET_PATH));
    await expect(receivePtyMaster(sock, () => Promise.resolve())).rejects.toThrow(/longer than 107 bytes/);
  });
});
