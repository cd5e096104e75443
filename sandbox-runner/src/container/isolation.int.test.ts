/**
 * Real runc containers: what a learner (root inside) can and cannot reach. Each probe runs as a
 * Check would, through SandboxManager.exec.
 */
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager, type SandboxInfo } from "../sandbox/manager";
import { testConfig, testImage, testLogger } from "../../test/image-fixture";

const cfg = testConfig();
let m: SandboxManager;
let sb: SandboxInfo;
const sh = async (script: string) => m.exec(sb.id, script, { timeoutMs: 20_000 });

beforeAll(async () => {
  m = new SandboxManager(cfg, await testImage(cfg), testLogger());
  await m.init();
  sb = await m.create("isolation");
});
afterAll(async () => {
  await m?.shutdown();
});

describe("isolation from the host", () => {
  it("does not see host processes", async () => {
    const r = await sh("ps -eo comm= | sort | uniq -c; ls /proc | grep -c '^[0-9]'");
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain("sleep");
    expect(r.output).not.toMatch(/\bnode\b|vitest|systemd|runc/);
    const count = Number(r.output.trim().split("\n").at(-1));
    expect(count).toBeLessThan(10);
    // PID 1 is the sandbox's init, not the host's.
    expect((await sh("cat /proc/1/cmdline | tr '\\0' ' '")).output.trim()).toBe("init");
  });

  it("does not see a marker file written on the host", async () => {
    const name = `h2-marker-${randomBytes(6).toString("hex")}`;
    writeFileSync(`/tmp/${name}`, "secret from the host");
    try {
      const r = await sh(
        `cat /tmp/${name}; find / -xdev -name '${name}' 2>/dev/null; grep -rs 'secret from the host' /tmp /root /oci || echo not-found`,
      );
      expect(r.output).toContain("No such file or directory");
      expect(r.output).not.toContain("secret from the host");
      expect(r.output.trim().endsWith("not-found")).toBe(true);
    } finally {
      rmSync(`/tmp/${name}`, { force: true });
    }
  });

  it("has only loopback", async () => {
    const r = await sh("ip -o link show | awk -F': ' '{print $2}'; ip -o -4 addr show | awk '{print $2, $4}'");
    expect(r.output.trim().split("\n")).toEqual(["lo", "lo 127.0.0.1/8"]);
  });

  it("cannot connect to a port the host listens on, nor to the host's own addresses", async () => {
    const server = net.createServer((s) => s.end("hello from host\n"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    let accepted = 0;
    server.on("connection", () => accepted++);
    try {
      const hostAddrs = Object.values(os.networkInterfaces())
        .flat()
        .filter((a) => a && a.family === "IPv4" && !a.internal)
        .map((a) => a!.address);
      const targets = ["127.0.0.1", ...hostAddrs];
      const r = await sh(
        targets.map((ip) => `timeout 3 bash -c 'cat < /dev/tcp/${ip}/${port}' && echo CONNECTED-${ip} || echo refused-${ip}`).join("\n"),
      );
      expect(r.output).not.toContain("CONNECTED");
      expect(r.output).not.toContain("hello from host");
      for (const ip of targets) expect(r.output).toContain(`refused-${ip}`);
      expect(accepted).toBe(0);
    } finally {
      server.close();
    }
  });

  it("cannot mount host filesystems, even after making the device node", async () => {
    const r = await sh(`
      mount -t ext4 /dev/vda /mnt 2>&1 && echo MOUNTED-1
      mknod /tmp/vda b 254 0 && (mount -t ext4 /tmp/vda /mnt 2>&1 && echo MOUNTED-2; head -c1 /tmp/vda >/dev/null 2>&1 && echo READ-DEVICE)
      mount -t proc proc /mnt 2>&1 | head -1; mount -t debugfs none /mnt 2>&1 && echo MOUNTED-3
      echo done`);
    expect(r.output).not.toMatch(/MOUNTED|READ-DEVICE/);
    expect(r.output).toContain("done");
  });

  it("cannot load kernel modules", async () => {
    const r = await sh("printf 'not an elf' > /tmp/x.ko; busybox insmod /tmp/x.ko; echo rc=$?");
    expect(r.output).toMatch(/Operation not permitted/);
    expect(r.output).toContain("rc=1");
  });

  it("cannot write host-wide /proc/sys settings", async () => {
    const before = (await sh("cat /proc/sys/kernel/panic")).output.trim();
    const r = await sh(
      "echo 42 > /proc/sys/kernel/panic; echo rc=$?; echo 1 > /proc/sys/vm/drop_caches; echo rc=$?; cat /proc/sys/kernel/panic",
    );
    expect(r.output.match(/rc=1/g)).toHaveLength(2);
    expect(r.output.trim().split("\n").at(-1)).toBe(before);
  });

  it("refuses dangerous syscalls and privileged host operations (seccomp + user namespace)", async () => {
    const r = await sh(
      "dmesg 2>&1 | head -1; date -s 2000-01-01 2>&1 | head -1; grep Seccomp: /proc/self/status; grep NoNewPrivs /proc/self/status; cat /proc/self/uid_map",
    );
    expect(r.output).toMatch(/dmesg: .*Operation not permitted/);
    expect(r.output).toMatch(/date: cannot set date: Operation not permitted/);
    expect(r.output).toMatch(/Seccomp:\s+2/);
    expect(r.output).toMatch(/NoNewPrivs:\s+1/);
    expect(r.output).toMatch(/^\s*0\s+100000\s+65536$/m);
  });

  it("has its own hostname and the host's kernel", async () => {
    const r = await sh("hostname; uname -r");
    const [hostname, release] = r.output.trim().split("\n");
    expect(hostname).toBe(sb.hostname);
    expect(hostname).not.toBe(os.hostname());
    expect(release).toBe(os.release());
  });
});

describe("what the lessons need inside", () => {
  it("chroot into a busybox jail", async () => {
    const r = await sh(
      "mkdir -p /jail/bin && cp /bin/busybox /jail/bin/ && chroot /jail /bin/busybox sh -c 'echo inside-jail; /bin/busybox ls /'",
    );
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe("inside-jail\nbin\n");
  });

  it("nested unshare: user, pid with its own PID 1 and /proc, mount and uts", async () => {
    const r = await sh(
      "unshare --user --map-root-user --pid --fork --mount-proc --mount --uts sh -c 'echo pid=$$; ps -eo pid= | wc -l; hostname nested; hostname'; hostname",
    );
    expect(r.exitCode).toBe(0);
    const lines = r.output.trim().split("\n");
    expect(lines[0]).toBe("pid=1");
    expect(Number(lines[1])).toBeLessThanOrEqual(3); // sh and ps only
    expect(lines[2]).toBe("nested");
    expect(lines[3]).toBe(sb.hostname); // the nested uts namespace did not leak out
  });

  it("an overlay mount with a whiteout inside a nested mount namespace", async () => {
    const r = await sh(`unshare --mount sh -c '
      mkdir -p /t && mount -t tmpfs tmpfs /t && mkdir /t/lower /t/upper /t/work /t/merged &&
      echo lower > /t/lower/kept && echo x > /t/lower/deleted &&
      mount -t overlay overlay -o lowerdir=/t/lower,upperdir=/t/upper,workdir=/t/work /t/merged &&
      echo upper >> /t/merged/kept && rm /t/merged/deleted &&
      cat /t/merged/kept; ls /t/merged; stat -c "%F %t:%T" /t/upper/deleted; cat /t/lower/kept'
      mountpoint -q /t && echo LEAKED || echo not-mounted-outside`);
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe("lower\nupper\nkept\ncharacter special file 0:0\nlower\nnot-mounted-outside\n");
  });
});
