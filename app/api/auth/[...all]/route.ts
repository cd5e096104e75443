import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/_lib/auth";

// better-auth's endpoints (sign-up, sign-in, sign-out, session), with its rate limits and Origin checks.
const handler = (req: Request) => auth().handler(req);
export const { GET, POST } = toNextJsHandler(handler);
