/**
 * A PTY master the runner writes keystrokes to must be non-blocking. runc opens it blocking, and
 * libuv keeps a master blocking too (it cannot reopen one, so it falls back to blocking writes):
 * then one learner whose shell stops reading (`sleep 600`, then a big paste) fills the kernel's
 * tty buffers, and the runner's next write to that PTY blocks its only thread — every learner's
 * terminal, Check and API call on the runner stops (measured: no echo for 30 s, /healthz silent).
 *
 * Node has no fcntl(). O_NONBLOCK belongs to the open file description, which a child process
 * shares through an inherited descriptor, so a tiny perl (perl-base is Essential on Debian and
 * Ubuntu: always there) sets it for the runner. Chosen over a native addon for one syscall at
 * terminal start. `isNonBlocking` reads the flags back from /proc, so a failure is never silent.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const O_NONBLOCK = 0o4000;

const SET_NONBLOCK = "use Fcntl; my $f = fcntl(STDIN, F_GETFL, 0) or die $!; fcntl(STDIN, F_SETFL, $f | O_NONBLOCK) or die $!;";

/** The "flags:" line of /proc/self/fdinfo/<fd> (octal) → whether O_NONBLOCK is set. Pure. */
export function fdinfoNonBlocking(fdinfo: string): boolean {
  const m = /^flags:\s+([0-7]+)$/m.exec(fdinfo);
  if (!m) throw new Error("no flags: line in fdinfo");
  return (parseInt(m[1]!, 8) & O_NONBLOCK) !== 0;
}

export function isNonBlocking(fd: number): boolean {
  return fdinfoNonBlocking(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"));
}

/** Sets O_NONBLOCK on `fd` (and every descriptor sharing its open file description). */
export async function setNonBlocking(fd: number): Promise<void> {
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn("perl", ["-e", SET_NONBLOCK], { stdio: [fd, "ignore", "pipe"] });
    let err = "";
    child.stderr!.on("data", (b: Buffer) => (err += b.toString()));
    child.on("error", (e) => reject(new Error(`could not run perl to make a terminal non-blocking (${e.message}); install perl-base`)));
    child.on("close", (code) => (code === 0 ? resolve("") : resolve(err.trim() || `perl exited with ${code}`)));
  });
  if (!isNonBlocking(fd)) throw new Error(`could not make the terminal's PTY non-blocking: ${stderr || "the flag did not stay set"}`);
}
