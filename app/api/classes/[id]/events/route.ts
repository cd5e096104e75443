import { classMatrixFor, classStampFor, requireClassManager } from "@/_lib/dal/teaching";
import { errorResponse } from "@/_lib/instructor/http";

/**
 * Live updates of a class's matrix as Server-Sent Events: every second the stream compares a cheap
 * fingerprint of the class's activity and, when it changed, sends the whole matrix (`event: matrix`).
 * Polling SQLite once a second per open dashboard is simple and survives restarts of either side
 * (EventSource reconnects by itself). Each poll re-checks the instructor's right to the class.
 */
export const dynamic = "force-dynamic";
const POLL_MS = 1000;

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let viewer;
  try {
    viewer = await requireClassManager(id);
  } catch (e) {
    return errorResponse(e);
  }
  const enc = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      const send = (chunk: string) => {
        if (!closed) controller.enqueue(enc.encode(chunk));
      };
      const stop = () => {
        if (closed) return;
        closed = true;
        if (timer) clearTimeout(timer);
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      req.signal.addEventListener("abort", stop);
      send("retry: 2000\n\n");
      const tick = async () => {
        if (closed) return;
        try {
          const stamp = await classStampFor(viewer, id);
          if (stamp !== last) {
            last = stamp;
            const m = await classMatrixFor(viewer, id);
            send(`event: matrix\ndata: ${JSON.stringify({ stamp, rows: m.rows })}\n\n`);
          } else send(": keep-alive\n\n");
        } catch (e) {
          // The class was removed or the right to it was lost: tell the page and end the stream.
          send(`event: gone\ndata: ${JSON.stringify({ message: (e as Error).message })}\n\n`);
          return stop();
        }
        timer = setTimeout(tick, POLL_MS);
      };
      void tick();
    },
    cancel() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
