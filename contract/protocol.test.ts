import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ClientType,
  CloseCode,
  MAX_CLIENT_FRAME_BYTES,
  decodeClientFrame,
  decodeServerFrame,
  encodeClientFrame,
  encodeServerFrame,
  type ClientFrame,
  type ServerFrame,
} from "./protocol";

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

const clientFrame: fc.Arbitrary<ClientFrame> = fc.oneof(
  fc.record({
    type: fc.constant("hello" as const),
    hello: fc.record(
      {
        v: fc.constant(1),
        token: fc.string({ minLength: 1, maxLength: 200 }),
        terminal: fc.stringMatching(/^t-[a-z0-9]{1,32}$/),
        cols: fc.integer({ min: 2, max: 1000 }),
        rows: fc.integer({ min: 1, max: 500 }),
      },
      { requiredKeys: ["v", "token", "cols", "rows"] },
    ),
  }),
  fc.record({ type: fc.constant("input" as const), data: bytes(1, 4096) }),
  fc.record({ type: fc.constant("resize" as const), cols: fc.integer({ min: 2, max: 1000 }), rows: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ type: fc.constant("ack" as const), bytes: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ type: fc.constant("ping" as const), data: bytes(0, 64) }),
  fc.constant({ type: "close" as const }),
);

describe("client frames", () => {
  it("round-trip through encode/decode", () => {
    fc.assert(
      fc.property(clientFrame, (f) => {
        const d = decodeClientFrame(encodeClientFrame(f));
        expect(d).toEqual({ ok: true, frame: f });
      }),
    );
  });

  it("decoder never throws on arbitrary bytes and returns a typed result", () => {
    fc.assert(
      fc.property(bytes(0, 300), (b) => {
        const d = decodeClientFrame(b);
        if (!d.ok) expect([CloseCode.MALFORMED_FRAME, CloseCode.FRAME_TOO_LARGE]).toContain(d.error.closeCode);
      }),
      { numRuns: 5000 },
    );
  });

  it("decoder never throws on HELLO bodies with arbitrary JSON", () => {
    const enc = new TextEncoder();
    fc.assert(
      fc.property(fc.jsonValue(), (j) => {
        const body = enc.encode(JSON.stringify(j));
        const frame = new Uint8Array(body.length + 1);
        frame[0] = ClientType.HELLO;
        frame.set(body, 1);
        const d = decodeClientFrame(frame);
        expect(typeof d.ok).toBe("boolean");
      }),
    );
  });

  it("rejects with the right codes", () => {
    expect(decodeClientFrame(new Uint8Array([0x7f, 1]))).toMatchObject({
      ok: false,
      error: { closeCode: 4400, reason: "unknown frame type 0x7f" },
    });
    expect(decodeClientFrame(new Uint8Array(0))).toMatchObject({ ok: false, error: { closeCode: 4400 } });
    expect(decodeClientFrame(new Uint8Array(MAX_CLIENT_FRAME_BYTES + 1).fill(2))).toMatchObject({ ok: false, error: { closeCode: 4413 } });
    expect(decodeClientFrame(new Uint8Array([ClientType.RESIZE, 0, 0, 0, 24]))).toMatchObject({ ok: false, error: { closeCode: 4400 } });
    expect(decodeClientFrame(new Uint8Array([ClientType.ACK, 1]))).toMatchObject({ ok: false, error: { closeCode: 4400 } });
    expect(decodeClientFrame(new Uint8Array([ClientType.CLOSE, 0]))).toMatchObject({ ok: false, error: { closeCode: 4400 } });
    const badHello = encodeClientFrame({ type: "hello", hello: { v: 1, token: "x", cols: 80, rows: 24, terminal: "../../etc" } });
    expect(decodeClientFrame(badHello)).toMatchObject({ ok: false, error: { closeCode: 4400 } });
    const v2 = encodeClientFrame({ type: "hello", hello: { v: 2, token: "x", cols: 80, rows: 24 } });
    expect(decodeClientFrame(v2)).toMatchObject({ ok: false, error: { reason: expect.stringContaining("version") } });
  });
});

const serverFrame: fc.Arbitrary<ServerFrame> = fc.oneof(
  fc.record({
    type: fc.constant("attached" as const),
    attached: fc.record({
      terminal: fc.string(),
      sandbox: fc.string(),
      role: fc.constantFrom("learner" as const, "observer" as const),
      cols: fc.integer({ min: 2, max: 1000 }),
      rows: fc.integer({ min: 1, max: 500 }),
    }),
  }),
  fc.record({ type: fc.constant("output" as const), data: bytes(0, 2000) }),
  fc.record({ type: fc.constant("snapshot" as const), data: fc.string({ unit: "grapheme", maxLength: 300 }) }),
  fc.record({
    type: fc.constant("event" as const),
    event: fc.record({
      type: fc.constant("command-finished" as const),
      exitCode: fc.option(fc.integer({ min: 0, max: 255 }), { nil: null }),
    }),
  }),
  fc.record({
    type: fc.constant("exit" as const),
    exitCode: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    signal: fc.integer({ min: 0, max: 64 }),
  }),
  fc.record({ type: fc.constant("error" as const), error: fc.record({ code: fc.string(), message: fc.string() }) }),
  fc.record({ type: fc.constant("pong" as const), data: bytes(0, 64) }),
);

describe("server frames", () => {
  it("round-trip", () => {
    fc.assert(
      fc.property(serverFrame, (f) => {
        expect(decodeServerFrame(encodeServerFrame(f))).toEqual({ ok: true, frame: f });
      }),
    );
  });
  it("decoder never throws", () => {
    fc.assert(
      fc.property(bytes(0, 300), (b) => void decodeServerFrame(b)),
      { numRuns: 5000 },
    );
  });
});
