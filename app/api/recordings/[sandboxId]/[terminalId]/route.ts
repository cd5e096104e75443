import { errorResponse } from "@/_lib/instructor/http";
import { recordingText } from "@/_lib/instructor/runner-access";

/** The asciicast of one of a learner's Terminals, for the instructor of one of their classes (or an admin). */
export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ sandboxId: string; terminalId: string }> }) {
  const { sandboxId, terminalId } = await params;
  try {
    const text = await recordingText(sandboxId, terminalId);
    if (text === null) return Response.json({ error: "not-found", message: `No recording of Terminal ${terminalId}.` }, { status: 404 });
    return new Response(text, {
      headers: { "content-type": "application/x-asciicast; charset=utf-8", "cache-control": "private, no-store" },
    });
  } catch (e) {
    return errorResponse(e);
  }
}
