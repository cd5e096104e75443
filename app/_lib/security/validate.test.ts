import { describe, expect, it } from "vitest";
import { describeIssue, exerciseIn, lessonIdIn, lessonSlugIn, looksLikeTraversal, plainId } from "./validate";

const content = {
  lessons: [{ id: "01-o-que-e-docker", slugs: { "pt-BR": "o-que-e-docker", en: "what-is-docker" }, exercises: [{ id: "kernel-do-host" }] }],
};

const HOSTILE = [
  "../etc/passwd",
  "..",
  "..%2f..%2fetc",
  "%2e%2e%2fsecret",
  "%252e%252e%252f",
  "/etc/passwd",
  "a/b",
  "a\\b",
  "C:\\x",
  ".hidden",
  "x\u0000y",
  "%00",
  "",
  " ",
  "a".repeat(200),
  "<script>",
];

describe("input validators", () => {
  it("plain ids refuse every path-like or hostile value", () => {
    for (const v of HOSTILE) expect({ v, ok: plainId("id").safeParse(v).success }).toEqual({ v, ok: false });
    expect(plainId("id").safeParse("kernel-do-host").success).toBe(true);
    expect(plainId("id").safeParse(42).success).toBe(false);
  });

  it("detects traversal, plain or encoded", () => {
    for (const v of ["../x", "..\\x", "%2e%2e/x", "%252e%252e%252fx", "/abs", "x/../y", "%c0%af", ".env"])
      expect({ v, t: looksLikeTraversal(v) }).toEqual({ v, t: true });
    for (const v of ["o-que-e-docker", "what-is-docker", "layers"]) expect(looksLikeTraversal(v)).toBe(false);
  });

  it("lesson ids and exercises must exist in the content", () => {
    expect(lessonIdIn(content).safeParse("01-o-que-e-docker").success).toBe(true);
    const missing = lessonIdIn(content).safeParse("02-nope");
    expect(missing.success).toBe(false);
    expect(describeIssue(missing.error!)).toMatch(/no such lesson/);
    expect(exerciseIn(content).safeParse(["01-o-que-e-docker", "kernel-do-host"]).success).toBe(true);
    expect(exerciseIn(content).safeParse(["01-o-que-e-docker", "other"]).success).toBe(false);
    expect(exerciseIn(content).safeParse(["01-o-que-e-docker", "../kernel-do-host"]).success).toBe(false);
  });

  it("lesson slugs are single segments that exist in that language", () => {
    expect(lessonSlugIn(content, "en").safeParse("what-is-docker").success).toBe(true);
    expect(lessonSlugIn(content, "en").safeParse("o-que-e-docker").success).toBe(false);
    for (const v of HOSTILE) expect(lessonSlugIn(content, "en").safeParse(v).success).toBe(false);
  });
});
