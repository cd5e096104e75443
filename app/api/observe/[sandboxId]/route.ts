import { errorResponse, sameOrigin } from "@/_lib/instructor/http";
import { observerConnection } from "@/_lib/instructor/runner-access";

/**
 * A short-lived OBSERVER token for a learner's running sandbox (the shadowing view asks for a new one
 * on every (re)connection). POST from the app's own pages only: the token is a credential.
 */
export const dynamic = "force-dynamic";

export async function POST(req: Request, { params }: { params: Promise<{ sandboxId: string }> }) {
  const { sandboxId } = await params;
  if (!sameOrigin(req)) return Response.json({ error: "forbidden", message: "Cross-origin request refused." }, { status: 403 });
  try {
    const c = await observerConnection(sandboxId, req.headers.get("host"));
    if (!c) return Response.json({ live: false }, { headers: { "cache-control": "no-store" } });
    return Response.json(c, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
