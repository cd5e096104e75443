/**
 * The simulated hosts of the fleet harness, as data: names, network namespaces, interfaces,
 * addresses and uid ranges, all derived from the test process's pid so two runs on one machine
 * never collide and a later run can tell a dead run's leftovers from a live one's. Pure.
 */

export interface HostPlan {
  /** Short runner name: a, b, c… */
  name: string;
  /** Network namespace (ip netns) of this simulated host. */
  netns: string;
  /** The host end of its veth pair, on the harness's bridge. */
  veth: string;
  /** Its address on the bridge's /24 (what the app and tests dial). */
  address: string;
  /** First host uid its sandboxes map to; ranges of different hosts never overlap. */
  uidBase: number;
}

export interface FleetPlan {
  pid: number;
  bridge: string;
  /** The bridge's own address (the root namespace's side: where the app and the tests are). */
  gateway: string;
  prefix: number;
  hosts: HostPlan[];
}

/** Names of the harness's interfaces and namespaces start with this, then the owning pid. */
export const PREFIX = "adfl";
const IFNAMSIZ = 15;
/** uid ranges: far above the default SANDBOX_UID_BASE (100000) that the other tests use. */
export const UID_FIRST = 1_000_000;
export const UID_STRIDE = 100_000;

export function planFleet(opts: { pid: number; subnet: number; hosts: number; uidCount?: number; capacity?: number }): FleetPlan {
  const { pid, subnet, hosts } = opts;
  if (!Number.isInteger(pid) || pid <= 0 || pid > 9_999_999) throw new Error(`pid ${pid} is not a process id`);
  if (!Number.isInteger(subnet) || subnet < 0 || subnet > 255) throw new Error(`subnet ${subnet} must be 0..255 (10.213.<subnet>.0/24)`);
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > 26) throw new Error(`hosts ${hosts} must be 1..26`);
  const needed = (opts.uidCount ?? 65536) + 2 * (opts.capacity ?? 50);
  if (needed > UID_STRIDE)
    throw new Error(`a host's uid range (${needed}) does not fit in ${UID_STRIDE}: lower SANDBOX_UID_COUNT or capacity`);
  const bridge = `${PREFIX}${pid}`;
  const list: HostPlan[] = [];
  for (let i = 0; i < hosts; i++) {
    const name = String.fromCharCode(97 + i);
    const veth = `${bridge}${name}`;
    if (veth.length > IFNAMSIZ) throw new Error(`interface name ${veth} is longer than ${IFNAMSIZ}`);
    list.push({ name, netns: `${PREFIX}-${pid}-${name}`, veth, address: `10.213.${subnet}.${i + 2}`, uidBase: UID_FIRST + i * UID_STRIDE });
  }
  return { pid, bridge, gateway: `10.213.${subnet}.1`, prefix: 24, hosts: list };
}

/** The pid that owns a harness interface or namespace name, or undefined for other names. */
export function ownerPid(name: string): number | undefined {
  const m = new RegExp(`^${PREFIX}-?(\\d+)(?:-?[a-z])?$`).exec(name);
  return m ? Number(m[1]) : undefined;
}

/** A /24 under 10.213.0.0/16 that no address in `inUse` (CIDR strings like 10.213.4.1/24) is on. */
export function freeSubnet(inUse: string[], preferred: number): number {
  const taken = new Set(
    inUse
      .map((a) => /^10\.213\.(\d+)\./.exec(a))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1])),
  );
  for (let k = 0; k < 256; k++) {
    const s = (preferred + k) % 256;
    if (!taken.has(s)) return s;
  }
  throw new Error("every 10.213.x.0/24 is in use: remove stale test bridges (ip -br addr | grep adfl)");
}
