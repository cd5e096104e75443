import { db } from "../db";

/** True when the database file opens and answers a query: what a readiness probe needs to know. */
export async function databaseAnswers(): Promise<boolean> {
  try {
    await db().$queryRawUnsafe("SELECT 1");
    return true;
  } catch {
    return false;
  }
}
