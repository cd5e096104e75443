import { loadRunnerConfig, type RunnerConfig } from "@runner/config/config";

/**
 * The platform configuration as the app sees it: the same validated table the runner and
 * `npm start` read (sandbox-runner/src/config/config.ts), parsed once per server process.
 */
let cached: RunnerConfig | undefined;

export function platformConfig(): RunnerConfig {
  cached ??= loadRunnerConfig();
  return cached;
}
