import { handleLogin } from "@/_lib/lti/http";
import { ltiPublicUrl, ltiTool } from "@/_lib/lti";

/** OIDC third-party initiated login: the LMS sends the browser here (GET or POST) before each launch. */
export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return handleLogin(await ltiTool(), req, { publicUrl: ltiPublicUrl() });
}

export async function POST(req: Request) {
  return handleLogin(await ltiTool(), req, { publicUrl: ltiPublicUrl() });
}
