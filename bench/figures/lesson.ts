/**
 * Lesson page: time to first byte of a prerendered lesson from `next start`, and a Lighthouse
 * performance score in Debian's Chromium, against a trivial static server handing out the very same
 * prerendered HTML and /_next/static assets from memory (the floor for serving those bytes).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { measured, notMeasured, side, type Figure } from "../lib/results";
import { freePort, REPO } from "../lib/runner-process";
import { PEERS } from "../lib/wetty";

const LESSON = "/en/lessons/what-is-docker";
const CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync";

function ttfb(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(url, { headers: { "accept-language": "en" } }, (res) => {
      res.once("data", () => {
        const t = performance.now() - t0;
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve(t) : reject(new Error(`${url} answered ${res.statusCode}`))));
      });
    });
    req.on("error", reject);
  });
}

/** The floor: the same prerendered HTML and static assets, from memory, by node:http. */
function staticServer(html: Buffer, port: number): Promise<http.Server> {
  const types: Record<string, string> = {
    ".js": "application/javascript",
    ".css": "text/css",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
  };
  const cache = new Map<string, Buffer | null>();
  const s = http.createServer((req, res) => {
    const u = (req.url ?? "/").split("?")[0]!;
    if (u === LESSON) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": html.length });
      return res.end(html);
    }
    const file = u.startsWith("/_next/static/")
      ? path.join(REPO, ".next/static", u.slice("/_next/static/".length))
      : path.join(REPO, "public", u);
    if (!file.startsWith(REPO)) return res.writeHead(404).end();
    if (!cache.has(file)) cache.set(file, existsSync(file) ? readFileSync(file) : null);
    const body = cache.get(file);
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, {
      "content-type": types[path.extname(file)] ?? "application/octet-stream",
      "cache-control": "public, max-age=31536000, immutable",
    });
    res.end(body);
  });
  return new Promise((resolve) => s.listen(port, "127.0.0.1", () => resolve(s)));
}

/** Async on purpose: the floor's static server lives in this process and must keep answering. */
async function lighthouse(url: string): Promise<{ score: number; fcp: number; lcp: number; tbt: number }> {
  const cli = path.join(PEERS, "node_modules/lighthouse/cli/index.js");
  if (!existsSync(cli)) throw new Error(`lighthouse is not installed in ${PEERS}`);
  const report = path.join(PEERS, "..", `lighthouse-${process.pid}.json`);
  const child = spawn(
    process.execPath,
    [
      cli,
      url,
      "--chrome-path=/usr/bin/chromium",
      `--chrome-flags=${CHROME_FLAGS}`,
      "--only-categories=performance",
      "--output=json",
      `--output-path=${report}`,
      "--quiet",
      "--max-wait-for-load=45000",
    ],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CHROME_PATH: "/usr/bin/chromium" } },
  );
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => (stderr = (stderr + b).slice(-1000)));
  const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
  const code = await new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`lighthouse failed (${code}): ${stderr.slice(-500)}`);
  const j = JSON.parse(readFileSync(report, "utf8")) as {
    categories: { performance: { score: number } };
    audits: Record<string, { numericValue?: number }>;
  };
  return {
    score: Math.round(j.categories.performance.score * 100),
    fcp: j.audits["first-contentful-paint"]?.numericValue ?? NaN,
    lcp: j.audits["largest-contentful-paint"]?.numericValue ?? NaN,
    tbt: j.audits["total-blocking-time"]?.numericValue ?? NaN,
  };
}

async function startNext(port: number): Promise<ChildProcess> {
  const child = spawn(path.join(REPO, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: REPO,
    env: { ...process.env, NODE_ENV: "production", DATA_DIR: path.join(REPO, ".data/bench") },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (b: Buffer) => (err = (err + b).slice(-2000)));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited: ${err}`);
    if (
      await ttfb(`http://127.0.0.1:${port}${LESSON}`).then(
        () => true,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error(`next start did not serve ${LESSON} within 60 s: ${err}`);
}

export async function measureLesson(o: {
  rounds: number;
  lighthouseRuns?: number;
  log: (s: string) => void;
}): Promise<Record<string, Figure>> {
  const htmlFile = path.join(REPO, ".next/server/app", LESSON + ".html");
  if (!existsSync(path.join(REPO, ".next/BUILD_ID")) || !existsSync(htmlFile))
    return {
      lessonTtfb: notMeasured(
        "Lesson page TTFB",
        "ms",
        "p50 ≤ 20 ms",
        `no production build with ${LESSON} prerendered (.next): run npx next build first`,
      ),
      lessonLighthouse: notMeasured("Lesson page Lighthouse performance", "score", "≥ 95", "no production build"),
    };
  const html = readFileSync(htmlFile);
  const [pNext, pStatic] = [await freePort(), await freePort()];
  const floor = await staticServer(html, pStatic);
  const next = await startNext(pNext);
  try {
    const nextUrl = `http://127.0.0.1:${pNext}${LESSON}`;
    const staticUrl = `http://127.0.0.1:${pStatic}${LESSON}`;
    // warm-up
    for (let i = 0; i < 5; i++) {
      await ttfb(nextUrl);
      await ttfb(staticUrl);
    }
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < o.rounds; i++) {
      a.push(await ttfb(nextUrl));
      b.push(await ttfb(staticUrl));
    }
    const t = measured({
      title: "Lesson page TTFB (prerendered)",
      unit: "ms",
      better: "lower",
      product: side("next start (proxy: locale + guest cookie)", a),
      baseline: side("node:http serving the same HTML from memory", b),
      goal: "p50 ≤ 20 ms",
    });
    t.met = (t.product!.stat.p50 ?? Infinity) <= 20;
    o.log(`lesson TTFB p50: next ${t.product!.stat.p50} ms, static ${t.baseline!.stat.p50} ms`);
    const out: Record<string, Figure> = { lessonTtfb: t };
    try {
      const ln: number[] = [];
      const ls: number[] = [];
      const detail: Record<string, unknown>[] = [];
      for (let i = 0; i < (o.lighthouseRuns ?? 3); i++) {
        const x = await lighthouse(nextUrl);
        const y = await lighthouse(staticUrl);
        ln.push(x.score);
        ls.push(y.score);
        detail.push({ next: x, static: y });
        o.log(`lighthouse run ${i + 1}: next ${x.score}, static ${y.score}`);
      }
      const l = measured({
        title: "Lesson page Lighthouse performance score",
        unit: "score",
        better: "higher",
        product: side("next start, Debian Chromium headless", ln, { runs: detail }),
        baseline: side("the same HTML and assets from a static server", ls),
        goal: "≥ 95",
      });
      l.met = (l.product!.stat.p50 ?? 0) >= 95;
      out.lessonLighthouse = l;
    } catch (e) {
      out.lessonLighthouse = notMeasured("Lesson page Lighthouse performance", "score", "≥ 95", (e as Error).message);
    }
    return out;
  } finally {
    next.kill("SIGTERM");
    floor.close();
  }
}
