import type { Db } from "../db";

/**
 * A guest's progress comes along when the guest signs up (or signs in): every learning record of
 * the guest row moves to the account, and the guest row stays as a tombstone pointing at it
 * (`claimedBy`). Rows the account already has (same lesson visit, hint, solution) keep the
 * account's copy (`UPDATE OR IGNORE`). Only an unclaimed guest row is taken, so a guest cookie
 * can be claimed once, and never an account row.
 */
const TABLES = ["LessonVisit", "ExerciseAttempt", "HintOpened", "SolutionOpened", "QuizAnswer", "SandboxSession", "Enrollment"] as const;

export async function claimGuest(db: Db, guestId: string, accountId: string): Promise<{ claimed: boolean }> {
  if (guestId === accountId) return { claimed: false };
  return db.$transaction(async (tx) => {
    const guest = await tx.user.findUnique({ where: { id: guestId }, select: { kind: true, claimedById: true } });
    if (!guest || guest.kind !== "guest" || guest.claimedById) return { claimed: false };
    const account = await tx.user.findUnique({ where: { id: accountId }, select: { kind: true } });
    if (account?.kind !== "account") return { claimed: false };
    // Table names come from the constant list above, never from input.
    for (const table of TABLES) {
      await tx.$executeRawUnsafe(`UPDATE OR IGNORE "${table}" SET "userId" = ? WHERE "userId" = ?`, accountId, guestId);
    }
    await tx.user.update({ where: { id: guestId }, data: { claimedById: accountId, claimedAt: new Date() } });
    return { claimed: true };
  });
}

/**
 * Whether the runner's owner of a sandbox is this user: the same id, or a guest this account has
 * claimed. The runner keeps the owner it was created with (the guest's id), so a guest who signs up
 * keeps their running sandbox (and its files) instead of getting a new one.
 */
export async function ownsSandboxAs(db: Db, runnerOwner: string, userId: string): Promise<boolean> {
  if (runnerOwner === userId) return true;
  const guest = await db.user.findUnique({ where: { id: runnerOwner }, select: { kind: true, claimedById: true } });
  return guest?.kind === "guest" && guest.claimedById === userId;
}
