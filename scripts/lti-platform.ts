/**
 * `npm run lti:platform -- <command>`: registers the LMSs (LTI 1.3 platforms) this site trusts.
 *
 *   add     --name "Moodle da escola" --issuer URL --client-id ID --auth-url URL --token-url URL
 *           --jwks-url URL --deployment-id ID [--deployment-id ID …]   (again with the same issuer
 *           and client id: updates it and adds the deployment ids)
 *   list    the registered platforms
 *   remove  --id ID
 *   tool    what the LMS admin enters for this tool (from PUBLIC_URL)
 *
 * Same database as the app (DATABASE_URL, or DATA_DIR/app.db). docs/instructors.md, "LMS (LTI 1.3)".
 */
import { parseArgs } from "node:util";
import { databaseFile } from "../app/_lib/database-url";
import { createDb } from "../app/_lib/db";
import { listPlatforms, removePlatform, savePlatform } from "../app/_lib/lti/platforms";

function usage(problem: string): never {
  console.error(
    `${problem}\n\nUsage: npm run lti:platform -- add --name <name> --issuer <url> --client-id <id> --auth-url <url> --token-url <url> --jwks-url <url> --deployment-id <id> [--deployment-id <id> …]\n       npm run lti:platform -- list | remove --id <id> | tool`,
  );
  process.exit(2);
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: "string" },
      issuer: { type: "string" },
      "client-id": { type: "string" },
      "auth-url": { type: "string" },
      "token-url": { type: "string" },
      "jwks-url": { type: "string" },
      "deployment-id": { type: "string", multiple: true },
      id: { type: "string" },
    },
  });
  const cmd = positionals[0];
  if (cmd === "tool") {
    const base = process.env.PUBLIC_URL?.replace(/\/+$/, "");
    if (!base) usage("Set PUBLIC_URL to this site's public https address first (the LMS needs fixed URLs).");
    console.log(`Tool URL / redirect URI:  ${base}/api/lti/launch`);
    console.log(`Initiate login URL:       ${base}/api/lti/login`);
    console.log(`Public keyset URL (JWKS): ${base}/api/lti/jwks`);
    console.log("Signature method RS256; services: Deep Linking, Assignment and Grade Services, Names and Role Provisioning.");
    return;
  }
  const db = createDb(databaseFile());
  try {
    if (cmd === "add") {
      const p = await savePlatform(db, {
        name: values.name,
        issuer: values.issuer,
        clientId: values["client-id"],
        authUrl: values["auth-url"],
        tokenUrl: values["token-url"],
        jwksUrl: values["jwks-url"],
        deploymentIds: values["deployment-id"] ?? [],
      });
      console.log(`✓ ${p.name} (${p.issuer}, client ${p.clientId}) registered as ${p.id}; deployments: ${p.deploymentIds.join(", ")}`);
    } else if (cmd === "list") {
      const all = await listPlatforms(db);
      if (all.length === 0) console.log("No LMS registered yet: npm run lti:platform -- add …");
      for (const p of all) console.log(`${p.id}  ${p.name}  ${p.issuer}  client ${p.clientId}  deployments ${p.deploymentIds.join(", ")}`);
    } else if (cmd === "remove") {
      if (!values.id) usage("remove needs --id (see list).");
      console.log((await removePlatform(db, values.id)) ? `✓ removed ${values.id}` : `No platform ${values.id} (see list).`);
    } else {
      usage(cmd ? `Unknown command ${JSON.stringify(cmd)}.` : "Which command?");
    }
  } finally {
    await db.$disconnect();
  }
}

main().catch((e) => {
  const msg = (e as Error)?.message ?? String(e);
  console.error(
    `✗ ${msg}${/no such table/i.test(msg) ? "\n  The database is not migrated: run `npm start` (or `npx prisma migrate deploy`) first." : ""}`,
  );
  process.exit(1);
});
