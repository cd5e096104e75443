import { ForbiddenError } from "../dal/rules";
import { NotFoundError } from "../dal/classes";

/** A DAL error as an HTTP answer: refused 403, unknown 404, bad input 400; details of others stay in the log. */
export function errorResponse(e: unknown): Response {
  const json = (status: number, error: string, message: string) =>
    Response.json({ error, message }, { status, headers: { "cache-control": "no-store" } });
  if (e instanceof ForbiddenError) return json(403, "forbidden", e.message);
  if (e instanceof NotFoundError) return json(404, "not-found", e.message);
  if (e instanceof TypeError) return json(400, "bad-request", e.message);
  console.error("[instructor api]", e);
  return json(500, "internal", "Something went wrong on the server; try again.");
}

/** Same-origin check for state-changing requests and secrets (observer tokens): a browser always sends Origin on POST. */
export function sameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return false;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
