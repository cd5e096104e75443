/**
 * The container engine inside a real sandbox (podman's `docker` command, docs/engine.md): what the
 * image lessons do with it, done here the way a learner would, offline, in a runc sandbox built
 * from the course Image. Then what a nested container must not get: anything its sandbox lacks.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager, type ExecResult, type SandboxInfo } from "./manager";
import { TEST_DATA_DIR, testConfig, testImage, testLogger } from "../../test/image-fixture";
import { EPERM, parseSyscallResults, syscallScript, type SyscallName } from "../security/syscalls";

// Own data dir: other suites' init() removes every sandbox of theirs. A learner's real limits
// (the engine needs room: a nested container's writable layer lives in its storage).
const cfg = testConfig({
  DATA_DIR: TEST_DATA_DIR + "-engine",
  SANDBOX_MEMORY_MB: "256",
  SANDBOX_PIDS: "256",
  SANDBOX_DISK_MB: "128",
  SANDBOX_ENGINE_MB: "96",
});
// The same Image, with a small engine storage, to fill it.
const smallCfg = testConfig({
  DATA_DIR: TEST_DATA_DIR + "-engine-small",
  SANDBOX_MEMORY_MB: "256",
  SANDBOX_PIDS: "256",
  SANDBOX_DISK_MB: "64",
  SANDBOX_ENGINE_MB: "24",
});

/** Under a loaded 2-core machine a build or a push takes tens of seconds: wait generously. */
const SLOW = { timeoutMs: 240_000, maxOutputBytes: 256 * 1024 };

let m: SandboxManager;
let sb: SandboxInfo;

async function sh(script: string): Promise<ExecResult> {
  return m.exec(sb.id, script, SLOW);
}
/** Runs `script` (set -e) and fails the test with its output when it fails. */
async function ok(script: string): Promise<string> {
  const r = await sh(`set -e\n${script}`);
  expect(r.exitCode, `exit ${r.exitCode}${r.timedOut ? " (timed out)" : ""}:\n${r.output}`).toBe(0);
  return r.output;
}

beforeAll(async () => {
  const image = await testImage(testConfig());
  m = new SandboxManager(cfg, image, testLogger());
  await m.init();
  sb = await m.create("engine-learner");
});

afterAll(async () => {
  await m?.shutdown();
});

describe("the engine in a sandbox (docker = podman, offline)", () => {
  it("docker images on the first command lists the base images with their tags, from the shared read-only store, copied into nothing", async () => {
    const out = await ok(`docker images --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Digest}}'
echo ---
podman images --format '{{.Repository}}:{{.Tag}} {{.ReadOnly}}'
echo ---
du -sk /var/lib/containers/storage | cut -f1`);
    const [listing, readOnly, used] = out.split("---\n");
    for (const ref of ["docker.io/library/busybox:latest", "docker.io/library/busybox:1.35", "docker.io/library/debian:bookworm-slim"]) {
      expect(listing).toMatch(new RegExp(`^${ref.replace(/[.]/g, "\\.")} [0-9a-f]{12} sha256:[0-9a-f]{64}$`, "m"));
      expect(readOnly).toContain(`${ref} true`);
    }
    // The tags of one image share its id: a tag is a name, not a copy.
    const ids = (ref: string) =>
      listing!
        .split("\n")
        .find((l) => l.startsWith(ref + " "))!
        .split(" ")[1];
    expect(ids("docker.io/library/busybox:latest")).toBe(ids("docker.io/library/busybox:1.35"));
    // Listing the images wrote (almost) nothing into the learner's own storage.
    expect(Number(used)).toBeLessThan(1024);
  });

  it("docker run --rm runs busybox and the Debian image, and the exit status comes back", async () => {
    const out = await ok(`docker run --rm busybox echo hello from busybox
docker run --rm debian:bookworm-slim cat /etc/debian_version
set +e; docker run --rm busybox sh -c 'exit 7'; echo "status $?"`);
    expect(out).toContain("hello from busybox");
    expect(out).toMatch(/^12\.\d+$/m);
    expect(out).toContain("status 7");
  });

  it("docker build of a Dockerfile with RUN, COPY and CMD; docker history has one row per step", async () => {
    const word = `built-${randomBytes(3).toString("hex")}`;
    const out = await ok(`mkdir -p /root/app && cd /root/app
echo '${word}' > message.txt
printf 'FROM busybox\\nRUN echo step-run > /ran.txt\\nCOPY message.txt /message.txt\\nCMD ["cat", "/message.txt", "/ran.txt"]\\n' > Dockerfile
docker build -t app:1 . >/tmp/build.log 2>&1 || { cat /tmp/build.log; exit 1; }
docker run --rm app:1
echo ---
docker history --format '{{.CreatedBy}}' app:1`);
    const [run, history] = out.split("---\n");
    expect(run).toContain(word);
    expect(run).toContain("step-run");
    const rows = history!.trim().split("\n");
    expect(rows.some((r) => r.includes("echo step-run"))).toBe(true);
    expect(rows.some((r) => r.includes("COPY"))).toBe(true);
    expect(rows.some((r) => r.includes("CMD"))).toBe(true);
  });

  it("docker run -d, ps, exec, logs and diff show a running container and its writable layer", async () => {
    const out = await ok(`docker run -d --name web busybox sh -c 'echo started-web; rm /etc/group; while sleep 1; do :; done' >/dev/null
for i in $(seq 1 100); do docker logs web 2>/dev/null | grep -q started-web && break; sleep 0.5; done
docker ps --format '{{.Names}} {{.Status}}'
echo ---
docker exec web sh -c 'echo inside > /root/new-file; readlink /proc/self/ns/uts'; readlink /proc/self/ns/uts
docker run --rm --hostname web1 busybox hostname
echo ---
docker logs web
echo ---
docker diff web
echo ---
docker rm -f -t 0 web >/dev/null 2>&1; docker ps -a --format '{{.Names}}'`);
    const [ps, exec, logs, diff, after] = out.split("---\n");
    expect(ps).toMatch(/^web Up/m);
    // A UTS namespace of its own (the sandbox's hostname is copied in, as with Docker's --network host).
    const [nestedUts, sandboxUts, named] = exec!.trim().split("\n");
    expect(nestedUts).toMatch(/^uts:\[\d+\]$/);
    expect(nestedUts).not.toBe(sandboxUts);
    expect(named).toBe("web1");
    expect(logs).toContain("started-web");
    expect(diff).toMatch(/^A \/root\/new-file$/m);
    expect(diff).toMatch(/^D \/etc\/group$/m);
    expect(after!.trim()).toBe("");
  });

  it("two images built from the same base share its bottom layer: same digest, stored once", async () => {
    const out = await ok(`mkdir -p /root/two && cd /root/two
printf 'FROM busybox\\nRUN echo a > /a\\n' > A; printf 'FROM busybox\\nRUN echo b > /b\\n' > B
docker build -q -t img-a -f A . >/dev/null; docker build -q -t img-b -f B . >/dev/null
for i in busybox img-a img-b; do docker inspect --format '{{range .RootFS.Layers}}{{.}},{{end}}' $i; done`);
    const [base, a, b] = out
      .trim()
      .split("\n")
      .map((l) => l.split(",").filter(Boolean));
    expect(base).toHaveLength(1);
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect(a![0]).toBe(base![0]);
    expect(b![0]).toBe(base![0]);
    expect(a![1]).not.toBe(b![1]);
  });

  it("the local registry: started on demand, push with a tag, remove, pull back by tag and by digest; a new push moves the tag, not the old digest", async () => {
    const before = await sh("curso registry status");
    expect(before.exitCode).toBe(3); // not running until a lesson starts it
    const out = await ok(`curso registry start
cd /root && mkdir -p reg && cd reg
printf 'FROM busybox\\nRUN echo v1 > /v\\nCMD ["cat", "/v"]\\n' > Dockerfile
docker build -q -t localhost:5000/hello:1.0 . >/dev/null
docker push -q localhost:5000/hello:1.0
d1=$(skopeo inspect --format '{{.Digest}}' docker://localhost:5000/hello:1.0)
echo "digest1 $d1"
docker rmi localhost:5000/hello:1.0 >/dev/null
docker pull -q localhost:5000/hello:1.0 >/dev/null
echo "run-tag $(docker run --rm localhost:5000/hello:1.0)"
docker rmi localhost:5000/hello:1.0 >/dev/null
docker pull -q "localhost:5000/hello@$d1" >/dev/null
echo "run-digest $(docker run --rm "localhost:5000/hello@$d1")"
sed -i 's/v1/v2/' Dockerfile
docker build -q -t localhost:5000/hello:1.0 . >/dev/null
docker push -q localhost:5000/hello:1.0
echo "digest2 $(skopeo inspect --format '{{.Digest}}' docker://localhost:5000/hello:1.0)"
echo "old $(skopeo inspect --format '{{.Digest}}' "docker://localhost:5000/hello@$d1")"
bash -c 'exec 3<>/dev/tcp/127.0.0.1/5000; printf "GET /v2/_catalog HTTP/1.0\\r\\n\\r\\n" >&3; cat <&3' | tail -n1`);
    const d1 = out.match(/^digest1 (sha256:[0-9a-f]{64})$/m)?.[1];
    const d2 = out.match(/^digest2 (sha256:[0-9a-f]{64})$/m)?.[1];
    expect(d1, out).toBeDefined();
    expect(out).toContain("run-tag v1");
    expect(out).toContain("run-digest v1");
    expect(d2).toBeDefined();
    expect(d2).not.toBe(d1);
    expect(out).toContain(`old ${d1}`);
    expect(out).toMatch(/"repositories":\["hello"\]/);
    const stop = await ok("curso registry stop; curso registry status || echo stopped-$?");
    expect(stop).toContain("stopped-3");
  });

  it("tag, inspect, rmi and system df do what Docker's do", async () => {
    const out = await ok(`docker tag busybox mine:copy
docker inspect --format '{{.Id}}' mine:copy busybox
docker system df --format '{{.Type}}'
docker rmi mine:copy
docker images --format '{{.Repository}}:{{.Tag}}' | grep -c '^localhost/mine:copy$' || true`);
    const ids = out.split("\n").filter((l) => /^[0-9a-f]{64}$/.test(l));
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    expect(out).toContain("Images");
    expect(out).toContain("Untagged: localhost/mine:copy");
    expect(out.trim().split("\n").pop()).toBe("0");
  });
});

describe("a nested container gets nothing its sandbox lacks", () => {
  /** The same probe in the sandbox and in a nested (Debian, perl-base) container. */
  async function both(probe: string): Promise<{ sandbox: string; nested: string }> {
    const sandbox = await ok(probe);
    const nested = await ok(
      `cat > /root/probe.sh <<'PROBE_EOF'\n${probe}\nPROBE_EOF\ndocker run --rm -v /root/probe.sh:/probe.sh:ro debian:bookworm-slim sh /probe.sh`,
    );
    return { sandbox, nested };
  }

  it("same user namespace (root is the sandbox's unprivileged host uid), no capability the sandbox lacks, a seccomp filter", async () => {
    const { sandbox, nested } = await both(
      `cat /proc/self/uid_map /proc/self/gid_map; readlink /proc/self/ns/user; grep -E '^(CapBnd|CapEff|NoNewPrivs|Seccomp):' /proc/self/status`,
    );
    const field = (s: string, k: string) => s.match(new RegExp(`^${k}:\\s*(\\S+)$`, "m"))?.[1];
    const maps = (s: string) => s.split("\n").slice(0, 2).join("\n");
    expect(maps(nested)).toBe(maps(sandbox));
    expect(nested.match(/user:\[\d+\]/)?.[0]).toBe(sandbox.match(/user:\[\d+\]/)?.[0]);
    const sbCaps = BigInt(`0x${field(sandbox, "CapBnd")}`);
    const nCaps = BigInt(`0x${field(nested, "CapBnd")}`);
    expect(nCaps & ~sbCaps).toBe(0n);
    expect(BigInt(`0x${field(nested, "CapEff")}`) & ~sbCaps).toBe(0n);
    expect(field(nested, "Seccomp")).toBe("2");
    expect(field(nested, "NoNewPrivs")).toBe("1");
  });

  it("the dangerous syscalls stay refused inside the nested container", async () => {
    const names: SyscallName[] = [
      "bpf",
      "perf_event_open",
      "keyctl",
      "add_key",
      "open_by_handle_at",
      "kexec_load",
      "init_module",
      "userfaultfd",
      "io_uring_setup",
    ];
    const r = await sh(
      `cat > /root/sys.pl <<'PROBE_EOF'\n${syscallScript(names)}\nPROBE_EOF\ndocker run --rm -v /root/sys.pl:/sys.pl:ro debian:bookworm-slim sh /sys.pl`,
    );
    const got = parseSyscallResults(r.output);
    for (const n of names) {
      expect(got.has(n), `${n} did not report (output: ${r.output})`).toBe(true);
      expect([EPERM, 38 /* ENOSYS */], `${n} returned errno ${got.get(n)}`).toContain(got.get(n));
    }
  });

  it("same cgroup (the sandbox's limits cover it), only loopback, no host file, no /proc/kcore", async () => {
    const marker = `engine-host-marker-${randomBytes(4).toString("hex")}`;
    const secret = `host-only-${randomBytes(8).toString("hex")}`;
    fs.writeFileSync(`/tmp/${marker}`, secret);
    try {
      const { sandbox, nested } = await both(`cat /proc/self/cgroup | sort; echo ---; ls /sys/class/net; echo ---
cat /tmp/${marker} 2>&1 | head -c 200; echo; head -c 16 /proc/kcore >/dev/null 2>&1 && echo kcore-readable || echo kcore-refused
cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max 2>/dev/null || echo no-memory-file`);
      const [sbCg, , sbRest] = sandbox.split("---\n");
      const [nCg, nNet, nRest] = nested.split("---\n");
      expect(nCg).toBe(sbCg);
      expect(nNet!.trim()).toBe("lo");
      expect(nRest).not.toContain(secret);
      expect(sbRest).not.toContain(secret);
      expect(nRest).toContain("kcore-refused");
      // The memory limit seen inside is the sandbox's own.
      expect(nRest!.trim().split("\n").pop()).toBe(sbRest!.trim().split("\n").pop());
    } finally {
      fs.rmSync(`/tmp/${marker}`, { force: true });
    }
  });

  // What lesson 7 tells the learner: `--memory` is refused here, with a message (no cgroup of its own: this host's
  // hybrid cgroup v1 cannot be delegated to the sandbox's unprivileged root), and the sandbox's own
  // ceiling acts on a nested container: the kernel kills its hog and counts it in the sandbox's cgroup.
  it("docker run --memory is refused with a message; a nested container's memory hog is killed by the sandbox's cgroup", async () => {
    // Podman alone accepts it and ignores it without a word (exit 0): the wrapper refuses, saying why.
    const refused = await sh("docker run --rm --memory 32m busybox true 2>&1; echo exit=$?");
    expect(refused.output).toContain("--memory não tem efeito aqui");
    expect(refused.output).toContain("exit=125");
    const inCommand = await sh("docker run --rm busybox echo --memory 2>&1");
    expect(inCommand.output.trim()).toBe("--memory");
    const out = await ok(`if [ -r /sys/fs/cgroup/memory.events ]; then ev=/sys/fs/cgroup/memory.events; lim=/sys/fs/cgroup/memory.max
else ev=/sys/fs/cgroup/memory/memory.oom_control; lim=/sys/fs/cgroup/memory/memory.limit_in_bytes; fi
before=$(awk '$1=="oom_kill"{print $2}' $ev)
mib=$(( $(cat $lim) / 1048576 ))
docker run --rm busybox sh -c "echo 1000 > /proc/self/oom_score_adj; head -c $(( mib + 64 ))m /dev/zero | tail > /dev/null" > /dev/null 2>&1 || true
after=$(awk '$1=="oom_kill"{print $2}' $ev)
echo "oom_kill $before -> $after"`);
    const [, before, after] = /oom_kill (\d+) -> (\d+)/.exec(out) ?? [];
    expect(Number(after), out).toBeGreaterThan(Number(before));
  });
});

describe("the engine's storage cap", () => {
  it("filling /var/lib/containers stops at SANDBOX_ENGINE_MB with a message saying what to do; the sandbox lives on", async () => {
    const small = new SandboxManager(smallCfg, await testImage(testConfig()), testLogger());
    // One manager at a time: both would hand out the same user-namespace owner uids.
    await m.shutdown();
    await small.init();
    try {
      const box = await small.create("engine-filler");
      const r = await small.exec(
        box.id,
        `df -Pk /var/lib/containers | awk 'NR==2 {print "size", $2}'
docker run --name filler busybox dd if=/dev/zero of=/fill bs=1M count=100; echo "status $?"
echo alive`,
        SLOW,
      );
      const size = Number(r.output.match(/^size (\d+)$/m)?.[1]);
      expect(size).toBeGreaterThan(0);
      expect(size).toBeLessThanOrEqual(24 * 1024);
      expect(r.output).toMatch(/No space left on device/i);
      expect(r.output).toMatch(
        /armazenamento do motor \(\/var\/lib\/containers, \d+ MiB\) está cheio|engine's storage \(\/var\/lib\/containers, \d+ MiB\) is full/,
      );
      expect(r.output).not.toContain("status 0");
      expect(r.output).toContain("alive");
      // What to do works: removing the container frees the room.
      const after = await small.exec(box.id, "docker rm -f filler >/dev/null && docker run --rm busybox echo room-again", SLOW);
      expect(after.output).toContain("room-again");
    } finally {
      await small.shutdown();
    }
  });
});
