import { isLtiError } from "@/_lib/lti/errors";
import { syncMyClassWithLms } from "@/_lib/lti";
import { errorResponse, sameOrigin } from "@/_lib/instructor/http";

/** "Sync with the LMS" on a class page: the roster again (NRPS) and every learner's score re-sent (AGS). Its instructor or an admin. */
export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  if (!sameOrigin(req)) return Response.json({ error: "forbidden", message: "Cross-site request refused." }, { status: 403 });
  const { id } = await params;
  try {
    return Response.json(await syncMyClassWithLms(id), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    if (isLtiError(e)) return Response.json({ error: e.code, message: e.detail }, { status: 502 });
    return errorResponse(e);
  }
}
