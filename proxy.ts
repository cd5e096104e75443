import createIntlMiddleware from "next-intl/middleware";
import type { NextRequest } from "next/server";
import { negotiatingRouting, routing } from "./app/_i18n/routing";
import { GUEST_COOKIE, newGuestId, signGuestToken, verifyGuestToken } from "./app/_lib/dal/guest-token";
import { guestCookieOptions } from "./app/_lib/dal/guest-cookie-options";
import { platformSecret } from "./app/_lib/secret";
import { pageCsp } from "./app/_lib/security/headers";

// Every URL names its language; only the home page negotiates it (see app/_i18n/routing.ts).
const intl = createIntlMiddleware(routing);
const negotiate = createIntlMiddleware(negotiatingRouting);

/**
 * Runs before every page: next-intl resolves the locale and localized pathname (on `/`, from the
 * learner's last choice or the browser's language, redirecting an English browser to /en), and a visitor
 * without a valid guest cookie gets one (pages are Server Components, which cannot set cookies).
 * The guest's database row is created lazily on their first recorded action.
 */
export default function proxy(request: NextRequest) {
  const home = request.nextUrl.pathname === "/";
  const response = (home ? negotiate : intl)(request);
  // What `/` answers depends on these request headers: caches must keep one answer per value.
  if (home) response.headers.append("Vary", "Accept-Language, Cookie");
  const secret = platformSecret();
  if (!verifyGuestToken(secret, request.cookies.get(GUEST_COOKIE)?.value)) {
    response.cookies.set(GUEST_COOKIE, signGuestToken(secret, newGuestId()), guestCookieOptions());
  }
  response.headers.set("Content-Security-Policy", pageCsp(request.headers.get("host")));
  return response;
}

export const config = {
  // Pages only: not API routes, Next's assets, or files with an extension.
  matcher: "/((?!api|_next|_vercel|.*\\..*).*)",
};
