import { cookies } from "next/headers";
import { platformSecret } from "../secret";
import { guestCookieOptions } from "./guest-cookie-options";
import { GUEST_COOKIE, newGuestId, signGuestToken, verifyGuestToken } from "./guest-token";

/**
 * Who is asking, from the signed guest cookie. The proxy issues the cookie on the first visit;
 * server actions issue it themselves if it is missing (a Server Component cannot set cookies).
 */
export async function currentUserId(): Promise<string | null> {
  const jar = await cookies();
  return verifyGuestToken(platformSecret(), jar.get(GUEST_COOKIE)?.value);
}

/** For server actions and route handlers only: the caller's id, issuing a new guest cookie when needed. */
export async function currentOrNewUserId(): Promise<string> {
  const existing = await currentUserId();
  if (existing) return existing;
  const id = newGuestId();
  (await cookies()).set(GUEST_COOKIE, signGuestToken(platformSecret(), id), guestCookieOptions());
  return id;
}
