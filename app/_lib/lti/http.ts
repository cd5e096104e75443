import { isLtiError, LtiError } from "./errors";
import { errorPage, pickerPage } from "./pages";
import { stateCookieName, type LtiTool, type SessionCookie } from "./tool";

/**
 * The LTI endpoints as plain `Request → Response` functions: app/api/lti/* route handlers call
 * them, and the integration tests serve them over real HTTP.
 */

/** This site's public origin: PUBLIC_URL (what the LMS admin registered), else the request's host. */
export function toolOrigin(req: Request, publicUrl?: string): string {
  if (publicUrl) return new URL(publicUrl).origin;
  const u = new URL(req.url);
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host") || u.host;
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || u.protocol.replace(":", "");
  return `${proto === "https" ? "https" : "http"}://${host}`;
}

const NO_STORE = { "cache-control": "no-store" };

function html(status: number, body: string, cookies: string[] = []): Response {
  const h = new Headers({ "content-type": "text/html; charset=utf-8", ...NO_STORE });
  for (const c of cookies) h.append("set-cookie", c);
  return new Response(body, { status, headers: h });
}

function refusal(e: unknown, log: (m: string, e?: unknown) => void): Response {
  const err = isLtiError(e) ? e : new LtiError("platform_unreachable", "unexpected error");
  if (!isLtiError(e)) log("launch failed", e);
  else log(`refused: ${err.code}: ${err.detail}`);
  const res = html(err.status, errorPage(err));
  if (err.status === 429) res.headers.set("retry-after", "60");
  return res;
}

function sessionCookie(c: SessionCookie): string {
  const a = c.attributes;
  return [
    `${c.name}=${encodeURIComponent(c.value)}`,
    `Path=${a.path ?? "/"}`,
    ...(a.maxAge ? [`Max-Age=${a.maxAge}`] : []),
    ...(a.httpOnly !== false ? ["HttpOnly"] : []),
    ...(a.secure ? ["Secure"] : []),
    `SameSite=${/^none$/i.test(a.sameSite ?? "") ? "None" : /^strict$/i.test(a.sameSite ?? "") ? "Strict" : "Lax"}`,
  ].join("; ");
}

async function params(req: Request): Promise<URLSearchParams> {
  if (req.method === "POST") {
    const type = req.headers.get("content-type") ?? "";
    if (!/application\/x-www-form-urlencoded|multipart\/form-data/.test(type))
      throw new LtiError("bad_message", "the LMS must post a form (application/x-www-form-urlencoded)");
    const form = await req.formData();
    const out = new URLSearchParams();
    for (const [k, v] of form) if (typeof v === "string") out.set(k, v);
    return out;
  }
  return new URL(req.url).searchParams;
}

export async function handleLogin(
  tool: LtiTool,
  req: Request,
  o: { publicUrl?: string; log?: (m: string, e?: unknown) => void } = {},
): Promise<Response> {
  const log = o.log ?? ((m: string, e?: unknown) => console.warn(`[lti] ${m}`, e ?? ""));
  try {
    const r = await tool.login(await params(req), toolOrigin(req, o.publicUrl));
    // SameSite=None: the platform's form post that brings the state back is a cross-site request.
    // Secure is required with None; browsers accept it on http://localhost too.
    const cookie = `${r.cookie.name}=${encodeURIComponent(r.cookie.value)}; Path=/api/lti; Max-Age=${r.cookie.maxAge}; HttpOnly; Secure; SameSite=None`;
    return new Response(null, { status: 302, headers: { location: r.redirect, "set-cookie": cookie, ...NO_STORE } });
  } catch (e) {
    return refusal(e, log);
  }
}

export async function handleLaunch(
  tool: LtiTool,
  req: Request,
  o: { publicUrl?: string; log?: (m: string, e?: unknown) => void } = {},
): Promise<Response> {
  const log = o.log ?? ((m: string, e?: unknown) => console.warn(`[lti] ${m}`, e ?? ""));
  try {
    if (req.method !== "POST") throw new LtiError("bad_message", "the launch is a form post (response_mode=form_post)");
    const p = await params(req);
    const origin = toolOrigin(req, o.publicUrl);
    const r = await tool.launch({ id_token: p.get("id_token"), state: p.get("state") }, req.headers.get("cookie"), origin);
    const state = p.get("state") ?? "";
    const clear = `${stateCookieName(state)}=; Path=/api/lti; Max-Age=0; HttpOnly; Secure; SameSite=None`;
    if (r.kind === "deepLink") {
      const picks = r.picks.map((x, i) => ({ ...x, whole: i === r.picks.length - 1 }));
      return html(200, pickerPage(r.locale, r.returnUrl, picks), [sessionCookie(r.session), clear]);
    }
    const h = new Headers({ location: new URL(r.to, origin).toString(), ...NO_STORE });
    h.append("set-cookie", sessionCookie(r.session));
    h.append("set-cookie", clear);
    return new Response(null, { status: 303, headers: h });
  } catch (e) {
    return refusal(e, log);
  }
}

export function handleJwks(tool: LtiTool): Response {
  return Response.json(tool.jwksDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
