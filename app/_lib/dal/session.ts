import { headers } from "next/headers";
import { auth } from "../auth";

/** The signed-in account's user id (better-auth database session), or null for guests. */
export async function sessionUserId(): Promise<string | null> {
  try {
    const s = await auth().api.getSession({ headers: await headers() });
    return s?.user.id ?? null;
  } catch (e) {
    console.error("[auth] reading the session failed:", (e as Error).message);
    return null;
  }
}
