import { createHash, randomInt } from "node:crypto";

/**
 * One-time invitations (pure): the list an instructor pastes, and the tokens. A token is 12
 * characters of the join-code alphabet, so the join page and the "code" field take it as they take
 * a class code (8 characters); only its SHA-256 is stored.
 */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const INVITE_TOKEN = /^[A-HJKMNP-Z2-9]{12}$/;
export const MAX_INVITES = 200;

export function newInviteToken(): string {
  return Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

export function normalizeInviteToken(input: unknown): string | null {
  if (typeof input !== "string") return null;
  const t = input.toUpperCase().replace(/[\s-]/g, "");
  return INVITE_TOKEN.test(t) ? t : null;
}

export function hashInviteToken(token: string): string {
  return createHash("sha256").update(`invite:${token}`).digest("hex");
}

/**
 * A pasted list (one person a line, or separated by commas/semicolons; e-mails or names) as
 * unique labels, in order. Throws a TypeError naming the problem when the list cannot be used.
 */
export function parseInviteList(text: string): string[] {
  if (typeof text !== "string") throw new TypeError("Paste a list of e-mails or names, one per line.");
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\n\r,;]+/)) {
    const label = raw.trim().replace(/\s+/g, " ");
    if (!label) continue;
    if (label.length > 120) throw new TypeError(`"${label.slice(0, 30)}…" is longer than 120 characters: one e-mail or name per line.`);
    const key = label.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(label);
  }
  if (out.length === 0) throw new TypeError("The list is empty: paste e-mails or names, one per line.");
  if (out.length > MAX_INVITES) throw new TypeError(`The list has ${out.length} people; invite at most ${MAX_INVITES} at a time.`);
  return out;
}
