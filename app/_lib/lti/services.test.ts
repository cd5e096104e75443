import { describe, expect, it } from "vitest";
import { deepLinkingResponseClaims } from "./deep-linking";
import { escapeHtml, errorPage } from "./pages";
import { isLtiError, LtiError } from "./errors";
import { parsePlatformInput } from "./platforms";
import { nextLink, parseMembers, scoreBody, scoresUrl } from "./services";

describe("AGS and NRPS shapes", () => {
  it("a line item's scores URL keeps its query (AGS §3.4)", () => {
    expect(scoresUrl("https://lms.example/api/lti/courses/3/line_items/7?type=x")).toBe(
      "https://lms.example/api/lti/courses/3/line_items/7/scores?type=x",
    );
    expect(scoresUrl("https://lms.example/li/7/")).toBe("https://lms.example/li/7/scores");
  });
  it("a score body names the LMS user and the time", () => {
    const at = new Date("2026-11-30T22:00:00Z");
    expect(
      scoreBody("u-1", { scoreGiven: 50, scoreMaximum: 100, activityProgress: "InProgress", gradingProgress: "FullyGraded" }, at),
    ).toEqual({
      userId: "u-1",
      scoreGiven: 50,
      scoreMaximum: 100,
      activityProgress: "InProgress",
      gradingProgress: "FullyGraded",
      timestamp: at.toISOString(),
    });
  });
  it("parses a membership container, skipping unusable entries and marking inactive members", () => {
    expect(
      parseMembers({
        members: [
          { user_id: "a", name: "Ana", email: "a@x", roles: ["R"], status: "Active" },
          { user_id: "b", given_name: "Bo", family_name: "Li", roles: [], status: "Inactive" },
          { name: "no id" },
          null,
        ],
      }),
    ).toEqual([
      { lmsUserId: "a", name: "Ana", email: "a@x", roles: ["R"], active: true },
      { lmsUserId: "b", name: "Bo Li", email: null, roles: [], active: false },
    ]);
    expect(() => parseMembers({})).toThrow(LtiError);
  });
  it("follows rel=next Link headers", () => {
    expect(nextLink('<https://lms/m?p=2>; rel="next", <https://lms/m?p=9>; rel="last"')).toBe("https://lms/m?p=2");
    expect(nextLink('<https://lms/m?p=9>; rel="last"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });
});

describe("Deep Linking response claims", () => {
  it("one ltiResourceLink with the lesson as a custom parameter and a gradebook column; data echoed", () => {
    const c = deepLinkingResponseClaims({
      clientId: "c1",
      issuer: "https://lms",
      deploymentId: "d1",
      data: "opaque",
      launchUrl: "https://curso/api/lti/launch",
      pick: { lessonId: "01-a", title: "Lição 1" },
      nonce: "n",
    });
    expect(c).toMatchObject({
      iss: "c1",
      aud: "https://lms",
      "https://purl.imsglobal.org/spec/lti/claim/message_type": "LtiDeepLinkingResponse",
      "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
      "https://purl.imsglobal.org/spec/lti/claim/deployment_id": "d1",
      "https://purl.imsglobal.org/spec/lti-dl/claim/data": "opaque",
      "https://purl.imsglobal.org/spec/lti-dl/claim/content_items": [
        { type: "ltiResourceLink", url: "https://curso/api/lti/launch", custom: { lesson: "01-a" }, lineItem: { scoreMaximum: 100 } },
      ],
    });
    const whole = deepLinkingResponseClaims({
      clientId: "c1",
      issuer: "i",
      deploymentId: "d",
      data: null,
      launchUrl: "u",
      pick: { lessonId: null, title: "T" },
      nonce: "n",
    });
    expect(whole).not.toHaveProperty(["https://purl.imsglobal.org/spec/lti-dl/claim/data"]);
    expect((whole["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"] as object[])[0]).not.toHaveProperty("custom");
  });
});

describe("platform registration and pages", () => {
  const ok = {
    name: "Moodle da escola",
    issuer: "https://moodle.escola.example",
    clientId: "abc",
    authUrl: "https://moodle.escola.example/mod/lti/auth.php",
    tokenUrl: "https://moodle.escola.example/mod/lti/token.php",
    jwksUrl: "https://moodle.escola.example/mod/lti/certs.php",
    deploymentIds: ["1"],
  };
  it("accepts what a Moodle admin copies, refuses plain http off loopback and a missing deployment, naming the field", () => {
    expect(parsePlatformInput(ok).clientId).toBe("abc");
    expect(parsePlatformInput({ ...ok, authUrl: "http://localhost:8080/auth" }).authUrl).toBe("http://localhost:8080/auth");
    expect(() => parsePlatformInput({ ...ok, tokenUrl: "http://moodle.escola.example/token" })).toThrow(/tokenUrl.*https/);
    expect(() => parsePlatformInput({ ...ok, deploymentIds: [] })).toThrow(/deploymentIds/);
  });
  it("escapes what the LMS sent before it reaches the page", () => {
    expect(escapeHtml(`<script>"x"&'`)).toBe("&#60;script&#62;&#34;x&#34;&#38;&#39;");
    const html = errorPage(new LtiError("bad_message", "<img src=x onerror=alert(1)>"));
    expect(html).not.toContain("<img");
    expect(html).toContain('data-lti-error="bad_message"');
    expect(html).toContain("O AVA não conseguiu abrir este curso");
  });
});

describe("isLtiError", () => {
  it("recognises a refusal from another copy of the module (the bundler may load it twice), not other errors", () => {
    const fromOtherCopy = Object.assign(new Error("x"), { [Symbol.for("aprendendo-docker.LtiError")]: true, code: "bad_signature" });
    expect(fromOtherCopy instanceof LtiError).toBe(false);
    expect(isLtiError(fromOtherCopy)).toBe(true);
    expect(isLtiError(new LtiError("expired", "x"))).toBe(true);
    expect(isLtiError(new Error("LtiError"))).toBe(false);
    expect(isLtiError(null)).toBe(false);
  });
});
