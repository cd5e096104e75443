import { CLAIM } from "./message";

/**
 * The claims of an LtiDeepLinkingResponse (Deep Linking 2.0 §4.5): the tool, as issuer, tells the
 * platform which link to add. One ltiResourceLink per pick, carrying the lesson in a custom
 * parameter (so its launches say which lesson to open) and a line item (so the LMS makes a
 * gradebook column that AGS scores land in). Pure; the caller signs it with the tool's key.
 */
export interface DeepLinkPick {
  /** null: the whole course. */
  lessonId: string | null;
  title: string;
}

export function deepLinkingResponseClaims(o: {
  clientId: string;
  issuer: string;
  deploymentId: string;
  data: string | null;
  launchUrl: string;
  pick: DeepLinkPick;
  nonce: string;
}): Record<string, unknown> {
  const item: Record<string, unknown> = {
    type: "ltiResourceLink",
    title: o.pick.title,
    url: o.launchUrl,
    lineItem: { scoreMaximum: 100, label: o.pick.title, resourceId: o.pick.lessonId ?? "course" },
    ...(o.pick.lessonId ? { custom: { lesson: o.pick.lessonId } } : {}),
  };
  return {
    iss: o.clientId,
    aud: o.issuer,
    nonce: o.nonce,
    [CLAIM.messageType]: "LtiDeepLinkingResponse",
    [CLAIM.version]: "1.3.0",
    [CLAIM.deploymentId]: o.deploymentId,
    [CLAIM.contentItems]: [item],
    ...(o.data !== null ? { [CLAIM.dlData]: o.data } : {}),
  };
}
