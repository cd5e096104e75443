import { databaseAnswers } from "@/_lib/dal/health";

/**
 * Readiness and liveness for an orchestrator (deploy/kubernetes/app.yaml): 200 when the app serves
 * and its database answers, 503 otherwise. Says nothing about learners or runners.
 */
export const dynamic = "force-dynamic";

export async function GET() {
  const ok = await databaseAnswers();
  return Response.json({ ok }, { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
