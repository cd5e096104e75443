import { describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress, parseTrustedProxies } from "./forwarded.mjs";

describe("the client's address", () => {
  const none = parseTrustedProxies("");
  const proxy = parseTrustedProxies(" 10.0.0.2 , ::1");

  it("is the socket's peer when no proxy is trusted, whatever the client sends", () => {
    expect(clientAddress("203.0.113.7", "1.2.3.4", none)).toBe("203.0.113.7");
    expect(clientAddress("::ffff:203.0.113.7", undefined, none)).toBe("203.0.113.7");
  });

  it("is read from X-Forwarded-For only behind a listed proxy, right to left", () => {
    expect(clientAddress("10.0.0.2", "198.51.100.9", proxy)).toBe("198.51.100.9");
    // The client sent its own header first: the proxy appended what it really saw.
    expect(clientAddress("10.0.0.2", "1.2.3.4, 198.51.100.9", proxy)).toBe("198.51.100.9");
    // Two listed proxies in a row are skipped.
    expect(clientAddress("::1", "198.51.100.9, 10.0.0.2", proxy)).toBe("198.51.100.9");
    expect(clientAddress("10.0.0.2", ["198.51.100.9", "10.0.0.2"], proxy)).toBe("198.51.100.9");
  });

  it("stays the proxy when the proxy forwarded nothing", () => {
    expect(clientAddress("10.0.0.2", undefined, proxy)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", " , ", proxy)).toBe("10.0.0.2");
  });

  it("normalises IPv4-in-IPv6 and brackets", () => {
    expect(normalizeAddress("::FFFF:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress("[2001:db8::1]")).toBe("2001:db8::1");
    expect([...parseTrustedProxies("a, ,b")]).toEqual(["a", "b"]);
  });
});
