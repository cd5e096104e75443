/**
 * Id shifting: the sandbox's user namespace maps container id 0..count-1 to host id base..base+count-1,
 * so a Snapshot's files must be owned by the host ids the container's ids become. Pure math.
 */
export interface IdRange {
  base: number;
  count: number;
}

export function checkIdRange(r: IdRange): void {
  if (!Number.isSafeInteger(r.base) || r.base < 1) throw new Error(`uidBase must be a positive integer, got ${r.base}`);
  if (!Number.isSafeInteger(r.count) || r.count < 1) throw new Error(`uidCount must be a positive integer, got ${r.count}`);
  if (r.base + r.count - 1 > 0xfffffffe)
    throw new Error(`uidBase + uidCount (${r.base} + ${r.count}) goes past the largest Linux id (4294967294)`);
}

/** The host id that container id `id` becomes; throws when the id is outside the mapped range. */
export function shiftId(id: number, r: IdRange, what = "id"): number {
  if (!Number.isSafeInteger(id) || id < 0) throw new Error(`${what} ${id} is not a valid id`);
  if (id >= r.count) {
    throw new Error(
      `${what} ${id} is outside the ${r.count} ids mapped into the sandbox: raise SANDBOX_UID_COUNT above ${id} or remove the file from the Image`,
    );
  }
  return r.base + id;
}
