import { spawn } from "node:child_process";

/**
 * Runs a build tool, streaming its stderr/stdout lines to `onLine` and keeping the tail for the
 * error message: a failed build must say which command failed and what it printed.
 */
export async function runTool(
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; onLine?: (line: string) => void } = {},
): Promise<void> {
  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
    const onData = (buf: Buffer) => {
      for (const line of buf.toString("utf8").split("\n")) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        opts.onLine?.(line);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === "ENOENT"
            ? `${cmd} is not installed: install it (apt-get install ${cmd}) and build the Image again`
            : `${cmd} failed to start: ${err.message}`,
        ),
      ),
    );
    child.on("close", (code, signal) => {
      if (code === 0) resolve();
      else
        reject(new Error(`${cmd} ${args.slice(0, 6).join(" ")}… failed (${signal ?? `exit ${code}`}). Last output:\n${tail.join("\n")}`));
    });
  });
}
