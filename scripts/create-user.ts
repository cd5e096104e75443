/**
 * `npm run user:create -- --email ana@example.org --password '…' --role admin [--name "Ana"]`
 * (or `npx tsx scripts/create-user.ts …`): creates an account with that role, or gives an existing
 * account the role (and the new password, when one is given). This is how the first admin and the
 * instructors come to exist; afterwards an admin can change roles on the /admin page.
 * Uses the same database as the app (DATABASE_URL, or DATA_DIR/app.db) and better-auth's own
 * sign-up and password hashing. Run `npx prisma migrate deploy` first on a fresh database.
 */
import { parseArgs } from "node:util";
import { createAuth } from "../app/_lib/auth/config";
import { databaseFile } from "../app/_lib/database-url";
import { createDb } from "../app/_lib/db";
import { platformSecret } from "../app/_lib/secret";

const ROLES = ["learner", "instructor", "admin"] as const;
type Role = (typeof ROLES)[number];

function usage(problem: string): never {
  console.error(
    `${problem}\n\nUsage: npm run user:create -- --email <email> --password <at least 8 characters> --role <learner|instructor|admin> [--name <name>]`,
  );
  process.exit(2);
}

async function main() {
  const { values } = parseArgs({
    options: { email: { type: "string" }, password: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
    strict: true,
  });
  const email = values.email?.trim().toLowerCase();
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) usage("--email is missing or not an email address.");
  const role = (values.role ?? "instructor") as Role;
  if (!ROLES.includes(role)) usage(`--role ${JSON.stringify(values.role)} must be one of ${ROLES.join(", ")}.`);
  const password = values.password;
  if (password !== undefined && (password.length < 8 || password.length > 128)) usage("--password must have 8 to 128 characters.");

  const file = databaseFile();
  const db = createDb(file);
  // No request here: the base URL only silences better-auth's warning (nothing is redirected).
  const auth = createAuth(db, { secret: platformSecret(), baseURL: "http://localhost" });
  try {
    const existing = await db.user.findUnique({ where: { email } });
    if (existing && existing.kind === "account") {
      if (password) {
        const hash = await (await auth.$context).password.hash(password);
        await db.account.updateMany({ where: { userId: existing.id, providerId: "credential" }, data: { password: hash } });
      }
      await db.user.update({ where: { id: existing.id }, data: { role, ...(values.name ? { name: values.name } : {}) } });
      console.log(`✓ ${email} is now ${role}${password ? " (password changed)" : ""} in ${file}`);
      return;
    }
    if (!password) usage(`${email} has no account yet: give it a --password.`);
    const res = await auth.api.signUpEmail({ body: { email, password, name: values.name ?? email.split("@")[0]! } });
    await db.user.update({ where: { id: res.user.id }, data: { role } });
    console.log(`✓ created ${role} ${email} in ${file}`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((e) => {
  const msg = (e as Error)?.message ?? String(e);
  console.error(
    `✗ ${msg}${/no such table/i.test(msg) ? "\n  The database is not migrated: run `npx prisma migrate deploy` (npm start does it) first." : ""}`,
  );
  process.exit(1);
});
