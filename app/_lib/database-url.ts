import path from "node:path";

/**
 * Where the SQLite file is: DATABASE_URL (a `file:` URL) or DATA_DIR/app.db (DATA_DIR defaults to
 * `.data`). Same rule as the runner's configuration table, so both processes agree on the file.
 * Returns the file path the better-sqlite3 driver opens.
 */
export function databaseFile(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL;
  if (url) {
    if (!url.startsWith("file:")) {
      throw new Error(
        `DATABASE_URL=${JSON.stringify(url)} is not a SQLite URL: use file:/path/to/app.db (or unset it to use DATA_DIR/app.db).`,
      );
    }
    return path.resolve(/*turbopackIgnore: true*/ url.slice("file:".length));
  }
  // The comments keep Next's file tracer from copying the data folder into the build.
  return path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR || ".data", "app.db");
}
