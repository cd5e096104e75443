import { describe, expect, it } from "vitest";
import { LtiError } from "./errors";
import { CLAIM, isInstructorRole, MAX_TOKEN_AGE_S, parseLaunch } from "./message";

const platform = { id: "p1", issuer: "https://lms.escola.example", clientId: "client-1", deploymentIds: ["dep-1"] };
const NOW = 1_800_000_000;

function token(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: platform.issuer,
    aud: platform.clientId,
    sub: "user-42",
    exp: NOW + 300,
    iat: NOW,
    nonce: "n-1",
    name: "Ana",
    email: "ana@escola.example",
    [CLAIM.messageType]: "LtiResourceLinkRequest",
    [CLAIM.version]: "1.3.0",
    [CLAIM.deploymentId]: "dep-1",
    [CLAIM.targetLinkUri]: "https://curso.example/api/lti/launch",
    [CLAIM.resourceLink]: { id: "rl-1" },
    [CLAIM.roles]: ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
    [CLAIM.context]: { id: "ctx-1", title: "Docker 101" },
    [CLAIM.custom]: { lesson: "01-intro" },
    [CLAIM.ags]: {
      scope: ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
      lineitem: "https://lms.escola.example/li/7",
    },
    ...over,
  };
}

function refusal(payload: Record<string, unknown>, nonce = "n-1"): string {
  try {
    parseLaunch(payload, { platform, expectedNonce: nonce, nowS: NOW });
  } catch (e) {
    expect(e).toBeInstanceOf(LtiError);
    return (e as LtiError).code;
  }
  throw new Error("accepted");
}

describe("parseLaunch (the claims of a verified id_token)", () => {
  it("turns a resource link launch into plain data", () => {
    expect(parseLaunch(token(), { platform, expectedNonce: "n-1", nowS: NOW })).toEqual({
      type: "LtiResourceLinkRequest",
      platformId: "p1",
      deploymentId: "dep-1",
      lmsUserId: "user-42",
      name: "Ana",
      email: "ana@escola.example",
      instructor: false,
      context: { id: "ctx-1", title: "Docker 101" },
      locale: null,
      nrps: null,
      resourceLinkId: "rl-1",
      targetLinkUri: "https://curso.example/api/lti/launch",
      lessonId: "01-intro",
      ags: {
        lineItemUrl: "https://lms.escola.example/li/7",
        lineItemsUrl: null,
        scopes: ["https://purl.imsglobal.org/spec/lti-ags/scope/score"],
      },
    });
  });

  it("reads a deep linking request's settings", () => {
    const m = parseLaunch(
      token({
        [CLAIM.messageType]: "LtiDeepLinkingRequest",
        [CLAIM.deepLinkingSettings]: {
          deep_link_return_url: "https://lms.escola.example/dl",
          accept_types: ["ltiResourceLink"],
          data: "xyz",
        },
      }),
      { platform, expectedNonce: "n-1", nowS: NOW },
    );
    expect(m).toMatchObject({
      type: "LtiDeepLinkingRequest",
      returnUrl: "https://lms.escola.example/dl",
      data: "xyz",
      acceptTypes: ["ltiResourceLink"],
    });
  });

  it("refuses each broken rule with its own code", () => {
    expect(refusal(token({ iss: "https://other.example" }))).toBe("wrong_issuer");
    expect(refusal(token({ aud: "client-2" }))).toBe("wrong_audience");
    expect(refusal(token({ aud: ["client-1", "client-2"] }))).toBe("wrong_audience"); // several audiences need azp
    expect(refusal(token({ aud: ["client-1", "client-2"], azp: "client-2" }))).toBe("wrong_audience");
    expect(refusal(token({ exp: NOW - 120 }))).toBe("expired");
    expect(refusal(token({ iat: NOW + 600 }))).toBe("expired");
    expect(refusal(token({ iat: NOW - MAX_TOKEN_AGE_S - 120 }))).toBe("expired");
    expect(refusal(token(), "another-nonce")).toBe("replayed");
    expect(refusal(token({ [CLAIM.deploymentId]: "dep-9" }))).toBe("unknown_deployment");
    expect(refusal(token({ [CLAIM.deploymentId]: undefined }))).toBe("unknown_deployment");
    expect(refusal(token({ [CLAIM.version]: "1.1" }))).toBe("bad_message");
    expect(refusal(token({ [CLAIM.messageType]: "LtiSubmissionReviewRequest" }))).toBe("bad_message");
    expect(refusal(token({ sub: "" }))).toBe("bad_message");
    expect(refusal(token({ [CLAIM.roles]: undefined }))).toBe("bad_message");
    expect(refusal(token({ [CLAIM.resourceLink]: {} }))).toBe("bad_message");
    expect(refusal(token({ [CLAIM.ags]: { lineitem: "javascript:alert(1)" } }))).toBe("bad_message");
  });

  it("accepts a little clock skew and several audiences when azp names this tool", () => {
    expect(parseLaunch(token({ exp: NOW - 30 }), { platform, expectedNonce: "n-1", nowS: NOW }).lmsUserId).toBe("user-42");
    expect(parseLaunch(token({ aud: ["x", "client-1"], azp: "client-1" }), { platform, expectedNonce: "n-1", nowS: NOW }).lmsUserId).toBe(
      "user-42",
    );
  });
});

describe("isInstructorRole", () => {
  it("counts the course's teaching roles, never institution roles alone", () => {
    expect(isInstructorRole(["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"])).toBe(true);
    expect(isInstructorRole(["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"])).toBe(true);
    expect(isInstructorRole(["http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator"])).toBe(true);
    expect(isInstructorRole(["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"])).toBe(false);
    expect(isInstructorRole(["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty"])).toBe(false);
    expect(isInstructorRole(["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"])).toBe(false);
    expect(isInstructorRole([])).toBe(false);
  });
});
