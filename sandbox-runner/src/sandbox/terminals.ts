import { receivePtyMaster } from "../container/console-socket";
import type { Runc } from "../container/runc";
import { closeMaster, ContainerPty } from "../terminal/container-pty";
import { loginShellCommand } from "../terminal/exit-mark";
import type { PtyLike } from "../terminal/terminal";
import { shellVars } from "./bundle";
import { notRunningFault } from "./errors";
import { nextConsolePath, type SandboxRecord } from "./record";

/**
 * A login shell on a PTY inside the sandbox: the one started with the container if it is still
 * waiting, else a new one from `runc exec --detach --tty`. Either way runc made the PTY in the
 * container and sent its master here; resizing sets the window size on it directly.
 */
export async function spawnShell(
  runc: Runc,
  rec: SandboxRecord,
  size: { cols: number; rows: number },
  opts: { savedWork: boolean },
): Promise<PtyLike> {
  const prepared = rec.prepared;
  rec.prepared = undefined;
  if (prepared && !prepared.exited) {
    prepared.resize(size.cols, size.rows);
    return prepared;
  }
  const socket = nextConsolePath(rec);
  const master = await receivePtyMaster(socket, () =>
    runc.execDetachedTty(rec.id, loginShellCommand(), { consoleSocket: socket, env: shellVars(opts.savedWork) }),
  );
  if (rec.state !== "running") {
    closeMaster(master);
    throw notRunningFault(rec.id, rec.state);
  }
  return new ContainerPty(master, size);
}
