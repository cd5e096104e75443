// Validates the whole configuration before any long step; prints the resolved values the bootstrap
// needs as JSON on stdout. A bad value exits 2 with a message naming the variable (no stack trace).
// Then makes DATA_DIR private before anything is written in it (`tightened`: what it changed).
import { ConfigError } from "../contract/config";
import { loadAppConfig } from "../app/_lib/config";
import { loadOrCreateSigningKeys } from "../app/_lib/signing-keys";
import { loadRunnerConfig } from "../sandbox-runner/src/config/config";
import { databaseFileOf, secureDataDir } from "../sandbox-runner/src/config/data-dir";
import { FleetConfigError, parseDraining, parseRunners } from "../app/_lib/fleet/config";

try {
  // Both tables, so a bad value of either stops the start before any long step.
  const problems: string[] = [];
  const parse = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
    }
  };
  const a = parse(() => loadAppConfig());
  const c = parse(() => loadRunnerConfig());
  if (!a || !c) throw new ConfigError([...new Set(problems)]);
  // The app's runners: a wrong RUNNERS stops the start here, not at a learner's first lesson.
  parseRunners(a, { name: "local", url: a.runnerUrl });
  parseDraining(a.RUNNERS_DRAINING);
  // The app's token key pair, before either process starts: the runner reads the public half.
  loadOrCreateSigningKeys(a.dataDir);
  const tightened = secureDataDir({ dataDir: c.dataDir, databaseFile: databaseFileOf(a.databaseUrl), sandboxGid: c.SANDBOX_UID_BASE });
  process.stdout.write(
    JSON.stringify({
      dataDir: c.dataDir,
      runnerDir: c.runnerDir,
      databaseUrl: a.databaseUrl,
      port: a.PORT,
      runnerPort: c.RUNNER_PORT,
      runnerHost: c.RUNNER_HOST,
      runnerUrl: c.runnerUrl,
      tightened,
    }),
  );
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  if (e instanceof FleetConfigError) {
    process.stderr.write(`Invalid configuration: ${e.message}\nFix it (see README, "Configuration") and start again.\n`);
    process.exit(2);
  }
  throw e;
}
