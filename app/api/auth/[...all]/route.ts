import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/_lib/auth";
import { accountLimit } from "@/_lib/auth/limits";
import { tooManyResponse } from "@/_lib/auth/account-limit";

/**
 * better-auth's endpoints (sign-up, sign-in, sign-out, session), with its per-address rate limits and
 * Origin checks, plus a per-account limit on failed sign-ins (app/_lib/auth/account-limit.ts). Every
 * 429 says when to retry (Retry-After and `retryAfter` in the body).
 */
async function handler(req: Request): Promise<Response> {
  const isSignIn = req.method === "POST" && new URL(req.url).pathname.endsWith("/sign-in/email");
  let email: string | null = null;
  if (isSignIn) {
    const body = (await req
      .clone()
      .json()
      .catch(() => null)) as { email?: unknown } | null;
    if (typeof body?.email === "string" && body.email.length <= 200) email = body.email;
  }
  if (email) {
    const wait = await accountLimit().retryAfter(email);
    if (wait > 0) return tooManyResponse(wait);
  }
  const res = await auth().handler(req);
  if (res.status === 429) return tooManyResponse(Number(res.headers.get("x-retry-after")) || 60);
  if (email && res.status === 401) await accountLimit().failed(email);
  else if (email && res.ok) await accountLimit().succeeded(email);
  return res;
}
export const { GET, POST } = toNextJsHandler(handler);
