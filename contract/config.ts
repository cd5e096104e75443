import { z } from "zod";

/**
 * How each side reads its configuration table from environment variables (piston's habit: one
 * table of options, each with a default, a parser and a description; a bad value stops the start
 * with a message naming the variable). The app and the runner each own a table; this is only the
 * way both read one, so their errors and the README's table look alike.
 */
export const bool = z.enum(["1", "0", "true", "false", "yes", "no"]).transform((v) => ["1", "true", "yes"].includes(v));
export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nFix the environment variable(s) above (see README, "Configuration") and start again.`,
    );
    this.name = "ConfigError";
  }
}

export interface ConfigOption {
  name: string;
  description: string;
  default: string;
}

/** Parses the variables of `schema` from `env` (empty = unset); throws ConfigError naming every bad one and its rule. */
export function parseEnv<S extends z.ZodRawShape>(
  schema: z.ZodObject<S>,
  env: Record<string, string | undefined>,
): z.infer<z.ZodObject<S>> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") picked[key] = v;
  }
  const parsed = schema.safeParse(picked);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((i) => {
      const key = String(i.path[0]);
      return `${key}=${JSON.stringify(picked[key] ?? "")}: ${i.message}`;
    }),
  );
}

/** The table's rows for the README and `--help`. */
export function describeTable(schema: z.ZodObject<z.ZodRawShape>): ConfigOption[] {
  return Object.entries(schema.shape).map(([name, s]) => {
    const t = s as z.ZodTypeAny;
    const def = t.safeParse(undefined);
    return { name, description: t.description ?? "", default: def.success && def.data !== undefined ? String(def.data) : "" };
  });
}
