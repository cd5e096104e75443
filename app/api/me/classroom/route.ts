import { getMyFeed } from "@/_lib/dal/teaching";

/** The signed-in learner's classroom feed (messages to them or their class, reset requests, their hand). */
export const dynamic = "force-dynamic";

export async function GET() {
  return Response.json(await getMyFeed(), { headers: { "cache-control": "no-store" } });
}
