import { describe, expect, it } from "vitest";
import {
  assertCanManageClass,
  assertCanReadUser,
  assertCanWriteUser,
  assertId,
  canCreateClass,
  canManageClass,
  canObserveUser,
  canReadUser,
  canSetRoles,
  canWriteUser,
  ForbiddenError,
  type Viewer,
} from "./rules";

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

  it("lets an instructor read only learners of their own classes, an admin anyone; neither writes for others", () => {
    const inMyClass = { classInstructorIds: ["u_other01", instructor.userId] };
    const elsewhere = { classInstructorIds: ["u_other01"] };
    expect(canReadUser(instructor, guest.userId, inMyClass)).toBe(true);
    expect(canReadUser(instructor, guest.userId, elsewhere)).toBe(false);
    expect(canReadUser(instructor, guest.userId)).toBe(false);
    expect(() => assertCanReadUser(instructor, guest.userId, elsewhere)).toThrow(ForbiddenError);
    expect(canReadUser(admin, guest.userId)).toBe(true);
    for (const v of [instructor, admin]) {
      expect(canWriteUser(v, guest.userId)).toBe(false);
      expect(() => assertCanWriteUser(v, guest.userId)).toThrow(/Not allowed: writing/);
    }
  });

  it("gives staff rights only to accounts: a guest row claiming a role gets none", () => {
    const fakeStaff: Viewer = { userId: "g_fake0001", kind: "guest", role: "admin" };
    expect(canReadUser(fakeStaff, guest.userId)).toBe(false);
    expect(canCreateClass(fakeStaff)).toBe(false);
    expect(canManageClass(fakeStaff, { instructorId: fakeStaff.userId })).toBe(false);
    expect(canSetRoles(fakeStaff)).toBe(false);
  });
});

describe("classes, observation and roles", () => {
  const learner: Viewer = { userId: "u_learner1", kind: "account", role: "learner" };
  const other: Viewer = { userId: "u_teacher2", kind: "account", role: "instructor" };
  const cls = { id: "c1", instructorId: instructor.userId };

  it("lets instructors and admins create classes, not learners", () => {
    expect(canCreateClass(instructor)).toBe(true);
    expect(canCreateClass(admin)).toBe(true);
    expect(canCreateClass(learner)).toBe(false);
    expect(canCreateClass(guest)).toBe(false);
  });

  it("lets only the class's instructor (or an admin) manage it", () => {
    expect(canManageClass(instructor, cls)).toBe(true);
    expect(canManageClass(admin, cls)).toBe(true);
    expect(canManageClass(other, cls)).toBe(false);
    expect(canManageClass(learner, cls)).toBe(false);
    expect(() => assertCanManageClass(other, cls)).toThrow(/managing class c1/);
  });

  it("lets an instructor observe a learner of their class only, and nobody observe themselves or a peer", () => {
    const scope = { classInstructorIds: [instructor.userId] };
    expect(canObserveUser(instructor, learner.userId, scope)).toBe(true);
    expect(canObserveUser(other, learner.userId, scope)).toBe(false);
    expect(canObserveUser(admin, learner.userId, { classInstructorIds: [] })).toBe(true);
    expect(canObserveUser({ userId: "u_peer0001", kind: "account", role: "learner" }, learner.userId, scope)).toBe(false);
    expect(canObserveUser(learner, learner.userId, scope)).toBe(false);
  });

  it("lets only admins change roles", () => {
    expect(canSetRoles(admin)).toBe(true);
    expect(canSetRoles(instructor)).toBe(false);
    expect(canSetRoles(learner)).toBe(false);
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
