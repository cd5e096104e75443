/**
 * A lean client of the runner's Terminal protocol for measuring: it keeps no frames, counts
 * OUTPUT bytes, acknowledges as it receives (a client that keeps up, like xterm.js does) and
 * resolves waits on a marker in the recent output.
 */
import WebSocket from "ws";
import { decodeServerFrame, encodeClientFrame, helloFrame } from "../../contract/protocol";

export const PROMPT_MARK = "\x1b]133;A";

export interface TermSocket {
  ws: WebSocket;
  /** ms timestamps (performance.now) of: open, attached, snapshot, first OUTPUT byte, first prompt mark. */
  t: { open?: number; attached?: number; snapshot?: number; firstOutput?: number; prompt?: number };
  bytes: number;
  terminal?: string;
  input(s: string | Uint8Array): void;
  /** Resolves at the first time `marker` shows up in output received after this call. */
  waitFor(marker: string, timeoutMs?: number): Promise<number>;
  onBytes?: (n: number) => void;
  close(): void;
}

export function openTermSocket(
  url: string,
  hello: { token: string; cols?: number; rows?: number; terminal?: string },
): Promise<TermSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.binaryType = "nodebuffer";
  const enc = new TextEncoder();
  let tail = "";
  let waiters: { marker: string; resolve: (t: number) => void; reject: (e: Error) => void; seen: string }[] = [];
  let ackPending = 0;
  const s: TermSocket = {
    ws,
    t: {},
    bytes: 0,
    input(d) {
      ws.send(encodeClientFrame({ type: "input", data: typeof d === "string" ? enc.encode(d) : d }));
    },
    waitFor(marker, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const w = { marker, resolve, reject, seen: "" };
        waiters.push(w);
        setTimeout(() => {
          if (!waiters.includes(w)) return;
          waiters = waiters.filter((x) => x !== w);
          reject(new Error(`no ${JSON.stringify(marker)} in the output within ${timeoutMs} ms; tail ${JSON.stringify(tail.slice(-200))}`));
        }, timeoutMs).unref();
      });
    },
    close() {
      ws.close(1000);
    },
  };
  const seenText = (text: string, now: number) => {
    tail = (tail + text).slice(-4096);
    if (s.t.prompt === undefined && text.includes(PROMPT_MARK)) s.t.prompt = now;
    if (waiters.length === 0) return;
    waiters = waiters.filter((w) => {
      w.seen = (w.seen + text).slice(-(w.marker.length + 4096));
      if (!w.seen.includes(w.marker)) return true;
      w.resolve(now);
      return false;
    });
  };
  ws.on("message", (data: Buffer) => {
    const now = performance.now();
    const type = data[0];
    if (type === 0x82) {
      const n = data.length - 1;
      if (s.t.firstOutput === undefined) s.t.firstOutput = now;
      s.bytes += n;
      s.onBytes?.(n);
      // Acknowledge in 16 KiB batches, as the browser client does.
      ackPending += n;
      if (ackPending >= 16 * 1024) {
        ws.send(encodeClientFrame({ type: "ack", bytes: ackPending }));
        ackPending = 0;
      } else queueAck();
      if (waiters.length || s.t.prompt === undefined) seenText(data.subarray(1).toString("latin1"), now);
      return;
    }
    const d = decodeServerFrame(new Uint8Array(data));
    if (!d.ok) return;
    if (d.frame.type === "attached") {
      s.t.attached = now;
      s.terminal = d.frame.attached.terminal;
    } else if (d.frame.type === "snapshot") {
      s.t.snapshot = now;
      seenText(d.frame.data, now);
    }
  });
  let ackTimer: NodeJS.Timeout | null = null;
  const queueAck = () => {
    if (ackTimer) return;
    ackTimer = setTimeout(() => {
      ackTimer = null;
      if (ackPending > 0 && ws.readyState === WebSocket.OPEN) ws.send(encodeClientFrame({ type: "ack", bytes: ackPending }));
      ackPending = 0;
    }, 20);
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => {
      s.t.open = performance.now();
      ws.send(encodeClientFrame(helloFrame(hello)));
      resolve(s);
    });
    ws.once("error", reject);
  });
}
