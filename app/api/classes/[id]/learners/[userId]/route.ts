import { getLearner, getLearnerTimeline } from "@/_lib/dal/teaching";
import { errorResponse } from "@/_lib/instructor/http";

/** One learner's timeline (Checks with messages, hints, solutions, quiz answers), for the class's instructor or an admin. */
export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string; userId: string }> }) {
  const { id, userId } = await params;
  try {
    const { learner } = await getLearner(id, userId);
    return Response.json({ learner, events: await getLearnerTimeline(id, userId) }, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
