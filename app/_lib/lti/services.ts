import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { LtiError } from "./errors";
import type { ToolKey } from "./keys";
import type { ActivityScore } from "./score";

/**
 * The LTI Advantage services the tool calls on the platform: an OAuth 2 client-credentials token
 * obtained with a signed JWT assertion (IMS Security Framework §4.1), then Assignment and Grade
 * Services (line items, scores) and Names and Role Provisioning (memberships). The pure parts
 * (URLs, bodies, parsing) are exported for unit tests; the HTTP parts take `fetch` so tests drive
 * a real simulator over loopback.
 */

export interface ServicePlatform {
  id: string;
  clientId: string;
  tokenUrl: string;
}

export type Fetch = typeof fetch;

/** Most a platform answer may weigh: a roster of thousands fits; a runaway response does not. */
const MAX_BODY = 8 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

async function readJson(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (text.length > MAX_BODY) throw new LtiError("platform_unreachable", `${what}: answer larger than ${MAX_BODY} bytes`);
  if (!res.ok) throw new LtiError("platform_unreachable", `${what}: HTTP ${res.status} ${text.slice(0, 200)}`);
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new LtiError("platform_unreachable", `${what}: the answer is not JSON`);
  }
}

export async function clientAssertion(key: ToolKey, p: ServicePlatform, nowS = Math.floor(Date.now() / 1000)): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
    .setIssuer(p.clientId)
    .setSubject(p.clientId)
    .setAudience(p.tokenUrl)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + 300)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

/** Access tokens by platform and scope set, reused until a minute before they expire. */
export class TokenCache {
  private tokens = new Map<string, { token: string; until: number }>();
  constructor(
    private readonly key: ToolKey,
    private readonly fetchFn: Fetch = fetch,
  ) {}

  async token(p: ServicePlatform, scopes: readonly string[]): Promise<string> {
    const k = `${p.id} ${[...scopes].sort().join(" ")}`;
    const hit = this.tokens.get(k);
    if (hit && hit.until > Date.now()) return hit.token;
    const res = await this.fetchFn(p.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: await clientAssertion(this.key, p),
        scope: scopes.join(" "),
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = (await readJson(res, `token from ${p.tokenUrl}`)) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== "string") throw new LtiError("platform_unreachable", `token from ${p.tokenUrl}: no access_token`);
    const ttl = typeof body.expires_in === "number" ? body.expires_in : 3600;
    this.tokens.set(k, { token: body.access_token, until: Date.now() + Math.max(0, ttl - 60) * 1000 });
    return body.access_token;
  }
}

/** AGS §3.4: a line item's scores endpoint is its URL with /scores added to the path (query kept). */
export function scoresUrl(lineItemUrl: string): string {
  const u = new URL(lineItemUrl);
  u.pathname = u.pathname.replace(/\/?$/, "/scores");
  return u.toString();
}

/** AGS §3.4.6 score body. */
export function scoreBody(lmsUserId: string, s: ActivityScore, at: Date): Record<string, unknown> {
  return {
    userId: lmsUserId,
    scoreGiven: s.scoreGiven,
    scoreMaximum: s.scoreMaximum,
    activityProgress: s.activityProgress,
    gradingProgress: s.gradingProgress,
    timestamp: at.toISOString(),
  };
}

export async function postScore(fetchFn: Fetch, token: string, lineItemUrl: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetchFn(scoresUrl(lineItemUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.ims.lis.v1.score+json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok)
    throw new LtiError(
      "platform_unreachable",
      `score to ${scoresUrl(lineItemUrl)}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`,
    );
}

/**
 * The line item of a link that came without one (a link added by hand, not by Deep Linking): the
 * one the platform lists for this resource link, else a new one (AGS §3.2).
 */
export async function findOrCreateLineItem(
  fetchFn: Fetch,
  token: string,
  lineItemsUrl: string,
  o: { resourceLinkId: string; label: string; resourceId: string },
): Promise<string> {
  const list = new URL(lineItemsUrl);
  list.searchParams.set("resource_link_id", o.resourceLinkId);
  const res = await fetchFn(list, {
    headers: { authorization: `Bearer ${token}`, accept: "application/vnd.ims.lis.v2.lineitemcontainer+json" },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const items = await readJson(res, `line items at ${lineItemsUrl}`);
  const found = Array.isArray(items)
    ? items.find((i: { id?: unknown; resourceLinkId?: unknown }) => typeof i?.id === "string" && i.resourceLinkId === o.resourceLinkId)
    : undefined;
  if (found) return (found as { id: string }).id;
  const created = await fetchFn(lineItemsUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/vnd.ims.lis.v2.lineitem+json" },
    body: JSON.stringify({ scoreMaximum: 100, label: o.label, resourceId: o.resourceId, resourceLinkId: o.resourceLinkId }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const item = (await readJson(created, `new line item at ${lineItemsUrl}`)) as { id?: unknown };
  if (typeof item.id !== "string") throw new LtiError("platform_unreachable", `new line item at ${lineItemsUrl}: no id`);
  return item.id;
}

export interface Member {
  lmsUserId: string;
  name: string | null;
  email: string | null;
  roles: string[];
  active: boolean;
}

/** NRPS §2.3 membership container → members (unusable entries skipped). Pure. */
export function parseMembers(body: unknown): Member[] {
  const members = (body as { members?: unknown })?.members;
  if (!Array.isArray(members)) throw new LtiError("platform_unreachable", "the membership answer has no members list");
  const out: Member[] = [];
  for (const m of members as Record<string, unknown>[]) {
    if (!m || typeof m.user_id !== "string" || !m.user_id) continue;
    const name =
      typeof m.name === "string" && m.name
        ? m.name
        : [m.given_name, m.family_name].filter((x) => typeof x === "string" && x).join(" ") || null;
    out.push({
      lmsUserId: m.user_id.slice(0, 255),
      name,
      email: typeof m.email === "string" && m.email ? m.email : null,
      roles: Array.isArray(m.roles) ? m.roles.filter((r): r is string => typeof r === "string") : [],
      // NRPS: status "Inactive" or "Deleted" means no longer in the course.
      active: m.status === undefined || m.status === "Active",
    });
  }
  return out;
}

/** The rel="next" URL of an HTTP Link header (NRPS paging), or null. Pure. */
export function nextLink(header: string | null): string | null {
  for (const part of (header ?? "").split(",")) {
    const m = /<([^>]+)>\s*;(.*)$/.exec(part.trim());
    if (m && /rel\s*=\s*"?next"?/.test(m[2]!)) return m[1]!;
  }
  return null;
}

export async function fetchMembers(fetchFn: Fetch, token: string, membershipsUrl: string): Promise<Member[]> {
  const all: Member[] = [];
  let url: string | null = membershipsUrl;
  // A bound on pages: a platform that links a page to itself must not keep us here forever.
  for (let page = 0; url && page < 100; page++) {
    const res: Response = await fetchFn(url, {
      headers: { authorization: `Bearer ${token}`, accept: "application/vnd.ims.lti-nrps.v2.membershipcontainer+json" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    all.push(...parseMembers(await readJson(res, `memberships at ${url}`)));
    url = nextLink(res.headers.get("link"));
  }
  return all;
}
