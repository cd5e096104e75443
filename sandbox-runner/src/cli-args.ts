/**
 * Command-line parsing for `npm run sandbox -- …` (pure, unit-tested). Kept apart from cli.ts so
 * that a typo gets a usage message, never a half-started sandbox.
 */
export type CliCommand = { kind: "exec"; script: string; timeoutMs: number } | { kind: "shell" } | { kind: "help" };

export const USAGE = `Usage:
  npm run sandbox -- exec "<shell command>" [--timeout SECONDS]
      Runs the command in a fresh throwaway sandbox with a learner's limits, prints its output
      and exits with its exit code (124 when it timed out). Default timeout: 60 s.
  npm run sandbox -- shell
      Opens an interactive shell in a fresh throwaway sandbox; it is destroyed when you exit.
Configuration comes from the same environment variables as the runner (see README).`;

export class CliUsageError extends Error {}

export function parseCliArgs(argv: string[]): CliCommand {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === "help" || cmd === "--help" || cmd === "-h") return { kind: "help" };
  if (cmd === "shell") {
    if (rest.length > 0) throw new CliUsageError(`'shell' takes no arguments (got: ${rest.join(" ")}).`);
    return { kind: "shell" };
  }
  if (cmd === "exec") {
    let timeoutMs = 60_000;
    const words: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === "--timeout") {
        const v = Number(rest[++i]);
        if (!Number.isFinite(v) || v <= 0 || v > 3600)
          throw new CliUsageError(`--timeout needs a number of seconds between 1 and 3600 (got: ${rest[i] ?? "nothing"}).`);
        timeoutMs = Math.round(v * 1000);
      } else words.push(a);
    }
    const script = words.join(" ").trim();
    if (!script) throw new CliUsageError(`'exec' needs the shell command to run, in quotes: npm run sandbox -- exec "uname -r"`);
    return { kind: "exec", script, timeoutMs };
  }
  throw new CliUsageError(`Unknown command '${cmd}'. Use 'exec' or 'shell'.`);
}
