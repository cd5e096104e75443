import { platformConfig } from "../config";
import { GUEST_COOKIE_MAX_AGE } from "./guest-token";

/** httpOnly + SameSite=Lax; `Secure` only when COOKIE_SECURE=1 (the app is often served over plain http on a LAN). */
export function guestCookieOptions() {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    path: "/",
    maxAge: GUEST_COOKIE_MAX_AGE,
    secure: platformConfig().COOKIE_SECURE,
  };
}
