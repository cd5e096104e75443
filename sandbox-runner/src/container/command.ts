import { execFile } from "node:child_process";

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`\`${command}\` failed (exit ${exitCode ?? "signal"}): ${stderr.trim() || "(no output)"}`);
    this.name = "CommandError";
  }
}

/** Runs a host command to completion; rejects with CommandError carrying its stderr. */
export function runCommand(
  file: string,
  args: string[],
  opts: { timeoutMs?: number; input?: string; cwd?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024, encoding: "utf8", cwd: opts.cwd },
      (err, stdout, stderr) => {
        if (err) {
          const code = typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : null;
          reject(new CommandError([file, ...args].join(" ").slice(0, 300), code, String(stderr || err.message)));
        } else resolve({ stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
