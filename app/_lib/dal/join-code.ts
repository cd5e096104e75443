import { randomInt } from "node:crypto";

/** Join codes: 8 characters without look-alikes (no 0/O, 1/I/L), easy to read aloud in class. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const JOIN_CODE = /^[A-HJKMNP-Z2-9]{8}$/;

export function newJoinCode(): string {
  return Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

/** What a learner typed, normalised (case, spaces, dashes), or null when it cannot be a code. */
export function normalizeJoinCode(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const code = input.toUpperCase().replace(/[\s-]/g, "");
  return JOIN_CODE.test(code) ? code : null;
}
