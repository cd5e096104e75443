import { handleJwks } from "@/_lib/lti/http";
import { ltiTool } from "@/_lib/lti";

/** The tool's public keys: platforms verify Deep Linking responses and service assertions with them. */
export const dynamic = "force-dynamic";

export async function GET() {
  return handleJwks(await ltiTool());
}
