import { z } from "zod";
import { joinClassWithCode } from "@/_lib/dal/teaching";
import { errorResponse, sameOrigin } from "@/_lib/instructor/http";

/**
 * Joins the signed-in account to a class with a class code or a one-time invite: the join page's
 * server action as plain HTTP, for scripts and tests of a whole class. Same rules (guests refused).
 */
export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  if (!sameOrigin(req)) return Response.json({ error: "forbidden", message: "Cross-site request refused." }, { status: 403 });
  const body = z.object({ code: z.string().max(40) }).safeParse(await req.json().catch(() => null));
  if (!body.success) return Response.json({ error: "bad-request", message: 'Send JSON like {"code": "ABCD2345"}.' }, { status: 400 });
  try {
    return Response.json(await joinClassWithCode(body.data.code), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
