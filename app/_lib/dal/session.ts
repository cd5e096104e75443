import { headers } from "next/headers";
import { auth } from "../auth";

/** The signed-in account's user id (better-auth database session), or null for guests. */
export async function sessionUserId(): Promise<string | null> {
  // Outside the try: Next's "dynamic usage" signal from headers() must reach Next, not the catch below.
  const h = await headers();
  if (!h.get("cookie")?.includes("session_token")) return null; // no session cookie: a guest, no DB query
  try {
    const s = await auth().api.getSession({ headers: h });
    return s?.user.id ?? null;
  } catch (e) {
    console.error("[auth] reading the session failed:", (e as Error).message);
    return null;
  }
}
