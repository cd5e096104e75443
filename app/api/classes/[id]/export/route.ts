import { matrixCsv } from "@/_lib/dal/class-matrix";
import { exerciseColumns, getClassMatrix } from "@/_lib/dal/teaching";
import { errorResponse } from "@/_lib/instructor/http";

/** The class's progress as CSV (one line per learner × exercise), for its instructor or an admin. */
export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  try {
    const [m, columns] = await Promise.all([getClassMatrix(id), exerciseColumns()]);
    const slug =
      m.name
        .normalize("NFKD")
        .replace(/[^a-zA-Z0-9]+/g, "-")
        .replace(/^-|-$/g, "")
        .toLowerCase() || "class";
    const date = new Date().toISOString().slice(0, 10);
    // BOM: spreadsheet programs then read the names as UTF-8.
    return new Response("\uFEFF" + matrixCsv(m.name, columns, m.rows), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${slug}-${date}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    return errorResponse(e);
  }
}
