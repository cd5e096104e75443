import { describe, expect, it } from "vitest";
import { assertCanReadUser, assertCanWriteUser, assertId, canReadUser, canWriteUser, ForbiddenError, type Viewer } from "./rules";

const guest: Viewer = { userId: "g_alice123", kind: "guest", role: "learner" };
const instructor: Viewer = { userId: "u_teacher1", kind: "account", role: "instructor" };
const admin: Viewer = { userId: "u_admin001", kind: "account", role: "admin" };

describe("who may read and write learning records", () => {
  it("lets a learner read and write only their own records", () => {
    expect(canReadUser(guest, guest.userId)).toBe(true);
    expect(canWriteUser(guest, guest.userId)).toBe(true);
    expect(canReadUser(guest, "g_bob45678")).toBe(false);
    expect(canWriteUser(guest, "g_bob45678")).toBe(false);
    expect(() => assertCanReadUser(guest, "g_bob45678")).toThrow(ForbiddenError);
  });

  it("lets instructors and admins read any learner but write for nobody else", () => {
    for (const v of [instructor, admin]) {
      expect(canReadUser(v, guest.userId)).toBe(true);
      expect(canWriteUser(v, guest.userId)).toBe(false);
      expect(() => assertCanWriteUser(v, guest.userId)).toThrow(/Not allowed: writing/);
    }
  });
});

describe("ids from the browser", () => {
  it("accepts lesson and exercise ids", () => {
    for (const ok of ["01-o-que-e-docker", "kernel-do-host", "q1", "0", "a.b_c-d"]) expect(() => assertId("id", ok)).not.toThrow();
  });
  it("refuses anything else, naming the field", () => {
    for (const bad of ["", "../etc", "-x", "a b", "x".repeat(129), 5, null, undefined, {}]) {
      expect(() => assertId("lessonId", bad)).toThrow(/lessonId/);
    }
  });
});
