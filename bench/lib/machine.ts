/** What the figures were measured on. */
import { execFileSync } from "node:child_process";
import os from "node:os";

export function machineInfo(): Record<string, unknown> {
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "ignore"] })
        .trim()
        .split("\n")[0];
    } catch {
      return null;
    }
  };
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    os: sh("sh", ["-c", ". /etc/os-release && echo $PRETTY_NAME"]),
    node: process.version,
    runc: sh("runc", ["--version"]),
    chromium: sh("/usr/bin/chromium", ["--version"]),
  };
}
