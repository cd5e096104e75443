// Validates the whole configuration before any long step; prints the resolved values the bootstrap
// needs as JSON on stdout. A bad value exits 2 with a message naming the variable (no stack trace).
// Then makes DATA_DIR private before anything is written in it (`tightened`: what it changed).
import { ConfigError, loadRunnerConfig } from "../sandbox-runner/src/config/config";
import { databaseFileOf, secureDataDir } from "../sandbox-runner/src/config/data-dir";
import { FleetConfigError, parseDraining, parseRunners } from "../app/_lib/fleet/config";

try {
  const c = loadRunnerConfig();
  // The app's runners: a wrong RUNNERS stops the start here, not at a learner's first lesson.
  parseRunners(c, { name: "local", url: c.runnerUrl });
  parseDraining(c.RUNNERS_DRAINING);
  const tightened = secureDataDir({ dataDir: c.dataDir, databaseFile: databaseFileOf(c.databaseUrl), sandboxGid: c.SANDBOX_UID_BASE });
  process.stdout.write(
    JSON.stringify({
      dataDir: c.dataDir,
      runnerDir: c.runnerDir,
      databaseUrl: c.databaseUrl,
      port: c.PORT,
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
