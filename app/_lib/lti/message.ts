import { LtiError } from "./errors";

/**
 * LTI 1.3 launch messages (IMS LTI Core 1.3 §5, Deep Linking 2.0 §4.4, AGS 2.0 §3.4, NRPS 2.0 §3.6):
 * the claims of an id_token whose signature jose has already verified, checked and turned into
 * plain data. Pure: no I/O, the clock is passed in.
 */

export const CLAIM = {
  messageType: "https://purl.imsglobal.org/spec/lti/claim/message_type",
  version: "https://purl.imsglobal.org/spec/lti/claim/version",
  deploymentId: "https://purl.imsglobal.org/spec/lti/claim/deployment_id",
  targetLinkUri: "https://purl.imsglobal.org/spec/lti/claim/target_link_uri",
  resourceLink: "https://purl.imsglobal.org/spec/lti/claim/resource_link",
  roles: "https://purl.imsglobal.org/spec/lti/claim/roles",
  context: "https://purl.imsglobal.org/spec/lti/claim/context",
  custom: "https://purl.imsglobal.org/spec/lti/claim/custom",
  launchPresentation: "https://purl.imsglobal.org/spec/lti/claim/launch_presentation",
  deepLinkingSettings: "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings",
  contentItems: "https://purl.imsglobal.org/spec/lti-dl/claim/content_items",
  dlData: "https://purl.imsglobal.org/spec/lti-dl/claim/data",
  ags: "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint",
  nrps: "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice",
} as const;

export const AGS_SCOPE = {
  lineItem: "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
  lineItemReadOnly: "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
  score: "https://purl.imsglobal.org/spec/lti-ags/scope/score",
} as const;
export const NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly";

/** What the tool knows about the platform that signed the token (its registration). */
export interface PlatformRegistration {
  id: string;
  issuer: string;
  clientId: string;
  deploymentIds: readonly string[];
}

interface Common {
  platformId: string;
  deploymentId: string;
  /** The learner's id at the platform (`sub`): stable, opaque, never an e-mail. */
  lmsUserId: string;
  name: string | null;
  email: string | null;
  instructor: boolean;
  context: { id: string; title: string } | null;
  locale: string | null;
  nrps: { membershipsUrl: string } | null;
}

export interface ResourceLinkLaunch extends Common {
  type: "LtiResourceLinkRequest";
  resourceLinkId: string;
  targetLinkUri: string;
  /** The lesson chosen by Deep Linking (custom parameter `lesson`), when there is one. */
  lessonId: string | null;
  ags: { lineItemUrl: string | null; lineItemsUrl: string | null; scopes: string[] } | null;
}

export interface DeepLinkingLaunch extends Common {
  type: "LtiDeepLinkingRequest";
  returnUrl: string;
  /** Opaque value the platform wants back in the response (`data`). */
  data: string | null;
  acceptTypes: string[];
  acceptMultiple: boolean;
}

export type LaunchMessage = ResourceLinkLaunch | DeepLinkingLaunch;

/** Clock skew tolerated on iat/exp (seconds): school servers' clocks drift. */
export const CLOCK_SKEW_S = 60;
/** An id_token issued longer ago than this is refused even if its exp is later (a captured token). */
export const MAX_TOKEN_AGE_S = 10 * 60;

const INSTRUCTOR_ROLES = [
  "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
  "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator",
  "http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper",
];

/**
 * Teaching roles of the context (LTI Core §A.2.3): Instructor (and its sub-roles such as
 * TeachingAssistant), the course's Administrator and ContentDeveloper. Institution roles such as
 * "Faculty" alone do not make someone the teacher of this course, and nothing maps to the app's admin.
 */
export function isInstructorRole(roles: readonly string[]): boolean {
  return roles.some((r) => INSTRUCTOR_ROLES.some((base) => r === base || r.startsWith(base.replace("#", "/") + "#")) || r === "Instructor");
}

function str(v: unknown): string | null {
  return typeof v === "string" && v.length > 0 ? v : null;
}

function obj(v: unknown): Record<string, unknown> | null {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function httpsOrLoopbackUrl(v: unknown, what: string): string {
  const s = str(v);
  let u: URL | null = null;
  try {
    u = s ? new URL(s) : null;
  } catch {
    u = null;
  }
  if (!u || (u.protocol !== "https:" && u.protocol !== "http:")) throw new LtiError("bad_message", `${what} is not an http(s) URL`);
  return u.toString();
}

/**
 * Checks the claims of a verified id_token against the platform's registration and the nonce
 * this browser's login stored. Signature, `iss`, `aud` and `exp` were checked by jose; they are
 * checked again here so this function alone states every rule (and is tested alone).
 */
export function parseLaunch(
  payload: Record<string, unknown>,
  o: { platform: PlatformRegistration; expectedNonce: string; nowS: number },
): LaunchMessage {
  const p = o.platform;
  if (payload.iss !== p.issuer) throw new LtiError("wrong_issuer", `iss ${JSON.stringify(payload.iss)} is not ${p.issuer}`);
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!aud.includes(p.clientId))
    throw new LtiError("wrong_audience", `aud ${JSON.stringify(payload.aud)} does not name client ${p.clientId}`);
  // OIDC Core §3.1.3.7: with several audiences, azp must be present and be us.
  if ((aud.length > 1 || payload.azp !== undefined) && payload.azp !== p.clientId)
    throw new LtiError("wrong_audience", `azp ${JSON.stringify(payload.azp)} is not client ${p.clientId}`);
  const exp = typeof payload.exp === "number" ? payload.exp : NaN;
  const iat = typeof payload.iat === "number" ? payload.iat : NaN;
  if (!(exp + CLOCK_SKEW_S > o.nowS)) throw new LtiError("expired", `exp ${payload.exp} has passed`);
  if (!(iat - CLOCK_SKEW_S <= o.nowS)) throw new LtiError("expired", `iat ${payload.iat} is in the future`);
  if (!(o.nowS - iat <= MAX_TOKEN_AGE_S + CLOCK_SKEW_S)) throw new LtiError("expired", `iat ${payload.iat} is too old`);
  if (payload.nonce !== o.expectedNonce) throw new LtiError("replayed", "the nonce is not the one this login sent");

  const deploymentId = str(payload[CLAIM.deploymentId]);
  if (!deploymentId || !p.deploymentIds.includes(deploymentId))
    throw new LtiError(
      "unknown_deployment",
      `deployment ${JSON.stringify(payload[CLAIM.deploymentId])} is not registered for this platform`,
    );
  if (payload[CLAIM.version] !== "1.3.0")
    throw new LtiError("bad_message", `version ${JSON.stringify(payload[CLAIM.version])} is not 1.3.0`);
  const sub = str(payload.sub);
  if (!sub || sub.length > 255) throw new LtiError("bad_message", "sub (the user's id) is missing");
  const roles = Array.isArray(payload[CLAIM.roles])
    ? (payload[CLAIM.roles] as unknown[]).filter((r): r is string => typeof r === "string")
    : null;
  if (!roles) throw new LtiError("bad_message", "the roles claim is missing");

  const ctx = obj(payload[CLAIM.context]);
  const ctxId = str(ctx?.id);
  const nrpsClaim = obj(payload[CLAIM.nrps]);
  const common: Common = {
    platformId: p.id,
    deploymentId,
    lmsUserId: sub,
    name: str(payload.name) ?? ([str(payload.given_name), str(payload.family_name)].filter(Boolean).join(" ") || null),
    email: str(payload.email),
    instructor: isInstructorRole(roles),
    context: ctxId ? { id: ctxId.slice(0, 255), title: (str(ctx?.title) ?? str(ctx?.label) ?? ctxId).slice(0, 100) } : null,
    locale: str(obj(payload[CLAIM.launchPresentation])?.locale),
    nrps:
      nrpsClaim && str(nrpsClaim.context_memberships_url)
        ? { membershipsUrl: httpsOrLoopbackUrl(nrpsClaim.context_memberships_url, "context_memberships_url") }
        : null,
  };

  const type = payload[CLAIM.messageType];
  if (type === "LtiResourceLinkRequest") {
    const link = obj(payload[CLAIM.resourceLink]);
    const linkId = str(link?.id);
    if (!linkId) throw new LtiError("bad_message", "resource_link.id is missing");
    const target = str(payload[CLAIM.targetLinkUri]);
    if (!target) throw new LtiError("bad_message", "target_link_uri is missing");
    const agsClaim = obj(payload[CLAIM.ags]);
    const custom = obj(payload[CLAIM.custom]);
    return {
      type,
      ...common,
      resourceLinkId: linkId.slice(0, 255),
      targetLinkUri: target,
      lessonId: str(custom?.lesson),
      ags: agsClaim
        ? {
            lineItemUrl: agsClaim.lineitem ? httpsOrLoopbackUrl(agsClaim.lineitem, "lineitem") : null,
            lineItemsUrl: agsClaim.lineitems ? httpsOrLoopbackUrl(agsClaim.lineitems, "lineitems") : null,
            scopes: Array.isArray(agsClaim.scope) ? agsClaim.scope.filter((s): s is string => typeof s === "string") : [],
          }
        : null,
    };
  }
  if (type === "LtiDeepLinkingRequest") {
    const s = obj(payload[CLAIM.deepLinkingSettings]);
    if (!s) throw new LtiError("bad_message", "deep_linking_settings is missing");
    const acceptTypes = Array.isArray(s.accept_types) ? s.accept_types.filter((t): t is string => typeof t === "string") : [];
    return {
      type,
      ...common,
      returnUrl: httpsOrLoopbackUrl(s.deep_link_return_url, "deep_link_return_url"),
      data: str(s.data),
      acceptTypes,
      acceptMultiple: s.accept_multiple === true,
    };
  }
  throw new LtiError("bad_message", `message type ${JSON.stringify(type)} is not one this tool handles`);
}
