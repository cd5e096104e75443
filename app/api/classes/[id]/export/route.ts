import { matrixCsv } from "@/_lib/dal/class-matrix";
import { quizLongLines, wideCsv } from "@/_lib/dal/grades";
import { getClassMatrix } from "@/_lib/dal/teaching";
import { errorResponse } from "@/_lib/instructor/http";

/**
 * The class's progress as CSV, for its instructor or an admin. `?format=long` (the default): one
 * line per learner × exercise, then one per learner × quiz question. `?format=wide`: one row per
 * learner with the score and a column per exercise and per quiz question (docs/instructors.md).
 */
export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const format = new URL(req.url).searchParams.get("format") ?? "long";
  if (format !== "long" && format !== "wide")
    return Response.json({ error: "bad-request", message: `format ${JSON.stringify(format)} must be long or wide` }, { status: 400 });
  try {
    const m = await getClassMatrix(id);
    const slug =
      m.name
        .normalize("NFKD")
        .replace(/[^a-zA-Z0-9]+/g, "-")
        .replace(/^-|-$/g, "")
        .toLowerCase() || "class";
    const date = new Date().toISOString().slice(0, 10);
    const body =
      format === "wide"
        ? wideCsv(m.name, m.columns, m.questions, m.rows)
        : matrixCsv(m.name, m.columns, m.rows) +
          quizLongLines(m.name, m.questions, m.rows)
            .map((l) => l + "\r\n")
            .join("");
    // BOM: spreadsheet programs then read the names as UTF-8.
    return new Response("\uFEFF" + body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${slug}-${format}-${date}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    return errorResponse(e);
  }
}
