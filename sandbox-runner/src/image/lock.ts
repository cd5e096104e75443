import fs from "node:fs/promises";

/**
 * One builder at a time per runner directory (a runner starting while `npm run image:build` runs).
 * A lock file holding the owner's pid; a lock whose process is gone is stale and taken over.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function withLock<T>(file: string, onWait: () => void, fn: () => Promise<T>): Promise<T> {
  let warned = false;
  for (;;) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: "wx" });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(await fs.readFile(file, "utf8").catch(() => ""));
      if (!pid || !alive(pid) || pid === process.pid) {
        if (pid === process.pid) throw new Error(`ensureImage is already running in this process (lock ${file}): await the first call`);
        await fs.rm(file, { force: true });
        continue;
      }
      if (!warned) {
        onWait();
        warned = true;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(file, { force: true });
  }
}
