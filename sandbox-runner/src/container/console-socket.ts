/**
 * runc's console socket. With `terminal: true`, runc opens the PTY inside the container (in the
 * container's own devpts, so `tty` inside names it and job control works) and sends the master end
 * over a unix socket with SCM_RIGHTS; then `runc run -d` / `runc exec -d` exit. The runner holds the
 * master itself: no `runc exec -t` relay process per terminal, one PTY instead of two.
 *
 * Node's net module cannot receive file descriptors. usocket (a small native addon) can; chosen
 * over writing our own addon, and over conmon, whose attach socket is SOCK_SEQPACKET (which Node
 * cannot open either) and which would add a resident process per terminal.
 */
import { rm } from "node:fs/promises";
import { closeSync } from "node:fs";
import { UServer, type USocket } from "usocket";
import { setNonBlocking } from "../terminal/nonblocking";

/** Linux sun_path is 108 bytes with the terminating NUL. */
export const MAX_SOCKET_PATH = 107;

export class ConsoleSocketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConsoleSocketError";
  }
}

/**
 * Listens on `socketPath`, runs `start` (which runs runc with `--console-socket socketPath`), and
 * resolves with the PTY master runc sent. `start` rejecting (runc failed) rejects this too, with
 * runc's error. The socket file is removed whatever happens.
 */
export async function receivePtyMaster(socketPath: string, start: () => Promise<void>, timeoutMs = 10_000): Promise<number> {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH)
    throw new ConsoleSocketError(`console socket path is longer than ${MAX_SOCKET_PATH} bytes: ${socketPath}`);
  await rm(socketPath, { force: true });
  const server = new UServer();
  let conn: USocket | undefined;
  let received: number | undefined;
  try {
    const master = new Promise<number>((resolve, reject) => {
      server.on("error", reject);
      server.on("connection", (c) => {
        // One runc per socket: a second connection is not runc's and gets nothing.
        if (conn) return c.destroy();
        conn = c;
        c.on("error", reject);
        const take = () => {
          const msg = c.read(null, 1);
          if (!msg) return;
          received = msg.fds[0];
          if (received === undefined) reject(new ConsoleSocketError("runc connected to the console socket but sent no file descriptor"));
          else resolve(received);
        };
        c.on("readable", take);
        c.on("end", () => reject(new ConsoleSocketError("runc closed the console socket without sending the terminal")));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.on("error", reject);
      server.listen(socketPath, resolve);
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ConsoleSocketError(`runc sent no terminal within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      // runc -d exits only after it has sent the master, so `start` settling first means it failed.
      const [fd] = await Promise.race([Promise.all([master, start()]), timeout]);
      // Before anyone can type into it: a blocking master lets one learner stop the runner (nonblocking.ts).
      await setNonBlocking(fd);
      return fd;
    } finally {
      clearTimeout(timer);
    }
  } catch (e) {
    if (received !== undefined) closeSync(received);
    throw e;
  } finally {
    conn?.destroy();
    server.close();
    await rm(socketPath, { force: true });
  }
}
