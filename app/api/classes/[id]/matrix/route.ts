import { getClassMatrix } from "@/_lib/dal/teaching";
import { errorResponse } from "@/_lib/instructor/http";

/** The class's roster × exercises matrix as JSON (what the dashboard shows), for its instructor or an admin. */
export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  try {
    return Response.json(await getClassMatrix(id), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
