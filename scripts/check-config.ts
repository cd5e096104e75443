// Validates the whole configuration before any long step; prints the resolved values the bootstrap
// needs as JSON on stdout. A bad value exits 2 with a message naming the variable (no stack trace).
import { ConfigError, loadRunnerConfig } from "../sandbox-runner/src/config/config";

try {
  const c = loadRunnerConfig();
  process.stdout.write(
    JSON.stringify({
      dataDir: c.dataDir,
      runnerDir: c.runnerDir,
      databaseUrl: c.databaseUrl,
      port: c.PORT,
      runnerPort: c.RUNNER_PORT,
      runnerHost: c.RUNNER_HOST,
      runnerUrl: c.runnerUrl,
    }),
  );
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
