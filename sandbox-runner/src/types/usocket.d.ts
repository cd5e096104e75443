// usocket ships no types; this is the part of its API the runner uses (see its README).
declare module "usocket" {
  import type { Duplex } from "node:stream";
  import type { EventEmitter } from "node:events";
  export class USocket extends Duplex {
    connect(path: string, cb?: () => void): void;
    /** Writes data and file descriptors together; `callback` once sent (the fds may be closed then). */
    write(chunk: { data?: Buffer; fds?: number[]; callback?: () => void }): boolean;
    write(chunk: Buffer | string): boolean;
    /** With a second argument: returns data and passed file descriptors, or null if none yet. */
    read(length: number | null, fdCount: number | null): { data: Buffer | null; fds: number[] } | null;
    read(size?: number): Buffer | null;
  }
  export class UServer extends EventEmitter {
    listen(path: string, cb?: () => void): void;
    close(): void;
    on(event: "connection", listener: (s: USocket) => void): this;
    on(event: "error", listener: (e: Error) => void): this;
    on(event: "listening", listener: () => void): this;
  }
}
