import { handleLaunch } from "@/_lib/lti/http";
import { ltiPublicUrl, ltiTool } from "@/_lib/lti";

/** The LTI launch (redirect_uri): the LMS posts the signed id_token here. */
export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  return handleLaunch(await ltiTool(), req, { publicUrl: ltiPublicUrl() });
}

export async function GET(req: Request) {
  return handleLaunch(await ltiTool(), req, { publicUrl: ltiPublicUrl() });
}
