/**
 * Helpers for the server's integration tests (real server, real sockets): a raw protocol client
 * that records every frame and the close code.
 */
import WebSocket from "ws";
import { decodeServerFrame, encodeClientFrame, helloFrame, type ClientFrame, type ServerFrame } from "../../../contract/protocol";

export interface RawClient {
  ws: WebSocket;
  frames: ServerFrame[];
  closed: Promise<{ code: number; reason: string }>;
  send(f: ClientFrame): void;
  sendRaw(b: Uint8Array | string, binary?: boolean): void;
  /** All OUTPUT bytes so far as text. */
  output(): string;
  waitFor<T extends ServerFrame["type"]>(
    type: T,
    pred?: (f: Extract<ServerFrame, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<ServerFrame, { type: T }>>;
  waitOutput(re: RegExp, timeoutMs?: number): Promise<string>;
  /** OUTPUT bytes received, for flow-control tests. */
  outputBytes(): number;
}

export function rawClient(url: string, hello?: { token: string; terminal?: string; cols?: number; rows?: number }): Promise<RawClient> {
  const ws = new WebSocket(url);
  ws.binaryType = "nodebuffer";
  const frames: ServerFrame[] = [];
  const dec = new TextDecoder();
  let text = "";
  let bytes = 0;
  const listeners = new Set<() => void>();
  let closeInfo: { code: number; reason: string } | null = null;
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => {
      closeInfo = { code, reason: reason.toString() };
      resolve(closeInfo);
      for (const l of listeners) l();
    }),
  );
  ws.on("message", (data: Buffer) => {
    const d = decodeServerFrame(new Uint8Array(data));
    if (!d.ok) throw new Error(`runner sent a bad frame: ${d.error.reason}`);
    frames.push(d.frame);
    if (d.frame.type === "output") {
      bytes += d.frame.data.length;
      text += dec.decode(d.frame.data, { stream: true });
    }
    for (const l of listeners) l();
  });
  const c: RawClient = {
    ws,
    frames,
    closed,
    send: (f) => ws.send(encodeClientFrame(f)),
    sendRaw: (b, binary = true) => ws.send(b, { binary }),
    output: () => text,
    outputBytes: () => bytes,
    waitFor(type, pred, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const f = frames.find((x) => x.type === type && (!pred || pred(x as never)));
          if (f) {
            listeners.delete(check);
            clearTimeout(t);
            resolve(f as never);
          } else if (closeInfo) {
            listeners.delete(check);
            clearTimeout(t);
            reject(new Error(`socket closed (${closeInfo.code} ${closeInfo.reason}) before a ${type} frame`));
          }
        };
        const t = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(
              `no ${type} frame within ${timeoutMs} ms; got ${frames.map((f) => f.type).join(",")}; output tail: ${JSON.stringify(text.slice(-300))}`,
            ),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    waitOutput(re, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(text);
          if (m) {
            listeners.delete(check);
            clearTimeout(t);
            resolve(m[0]);
          } else if (closeInfo) {
            listeners.delete(check);
            clearTimeout(t);
            reject(new Error(`socket closed (${closeInfo.code} ${closeInfo.reason}) before output matched ${re}`));
          }
        };
        const t = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`output did not match ${re} within ${timeoutMs} ms; tail: ${JSON.stringify(text.slice(-300))}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => {
      if (hello) c.send(helloFrame(hello));
      resolve(c);
    });
    ws.once("error", reject);
  });
}

/** Acknowledges every OUTPUT frame as it arrives (a client that keeps up). */
export function autoAck(c: RawClient): void {
  c.ws.on("message", (data: Buffer) => {
    if (data[0] === 0x82) c.send({ type: "ack", bytes: data.length - 1 });
  });
}
