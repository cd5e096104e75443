import { getMyAccount } from "@/_lib/dal/teaching";

/** Who is signed in (for the header's account menu): null for guests. */
export const dynamic = "force-dynamic";

export async function GET() {
  const me = await getMyAccount();
  return Response.json(me ? { signedIn: true, name: me.name, email: me.email, role: me.role } : { signedIn: false }, {
    headers: { "cache-control": "no-store" },
  });
}
