import { z } from "zod";
import type { Db } from "../db";
import type { PlatformRegistration } from "./message";

/**
 * Registering a school's LMS (issuer, client id, its OIDC auth / token / JWKS URLs, deployment ids):
 * what the LMS shows its admin after "add an LTI 1.3 tool". Stored in the database by
 * `npm run lti:platform` so a new school needs no restart. The URLs must be https (http only on
 * loopback, for a platform on the same machine and for tests).
 */
const url = (what: string) =>
  z.string().refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === "https:" || (u.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname));
      } catch {
        return false;
      }
    },
    { message: `${what} must be an https:// URL (http:// only for localhost), as the LMS shows it` },
  );

export const platformInput = z.object({
  name: z.string().trim().min(1, "name: give the school or LMS a name").max(100),
  issuer: z.string().trim().min(1, "issuer (the LMS's 'Platform ID') is missing").max(255),
  clientId: z.string().trim().min(1, "clientId (the 'Client ID' the LMS gave this tool) is missing").max(255),
  authUrl: url("authUrl (the LMS's 'Authentication request URL')"),
  tokenUrl: url("tokenUrl (the LMS's 'Access token URL')"),
  jwksUrl: url("jwksUrl (the LMS's 'Public keyset URL')"),
  deploymentIds: z
    .array(z.string().trim().min(1).max(255))
    .min(1, "deploymentIds: at least one deployment id (the LMS shows it per tool installation)"),
});
export type PlatformInput = z.infer<typeof platformInput>;

export interface Platform extends PlatformRegistration {
  name: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
}

/** Parses a registration, with one line per problem naming the field. */
export function parsePlatformInput(raw: unknown): PlatformInput {
  const r = platformInput.safeParse(raw);
  if (!r.success)
    throw new TypeError(
      r.error.issues
        .map((i) => {
          const field = i.path.join(".") || "registration";
          return i.message.startsWith(field) ? i.message : `${field}: ${i.message}`;
        })
        .join("\n"),
    );
  return r.data;
}

function toPlatform(row: {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  deploymentIds: string;
}): Platform {
  let ids: unknown = [];
  try {
    ids = JSON.parse(row.deploymentIds);
  } catch {
    ids = [];
  }
  return { ...row, deploymentIds: Array.isArray(ids) ? ids.filter((x): x is string => typeof x === "string") : [] };
}

/** Adds a platform, or updates the one with the same issuer and client id (deployment ids are merged). */
export async function savePlatform(db: Db, raw: unknown): Promise<Platform> {
  const p = parsePlatformInput(raw);
  const existing = await db.ltiPlatform.findUnique({ where: { issuer_clientId: { issuer: p.issuer, clientId: p.clientId } } });
  const ids = [...new Set([...(existing ? toPlatform(existing).deploymentIds : []), ...p.deploymentIds])];
  const data = { name: p.name, authUrl: p.authUrl, tokenUrl: p.tokenUrl, jwksUrl: p.jwksUrl, deploymentIds: JSON.stringify(ids) };
  const row = existing
    ? await db.ltiPlatform.update({ where: { id: existing.id }, data })
    : await db.ltiPlatform.create({ data: { ...data, issuer: p.issuer, clientId: p.clientId } });
  return toPlatform(row);
}

export async function findPlatform(db: Db, issuer: string, clientId: string | null): Promise<Platform | null> {
  if (clientId) {
    const row = await db.ltiPlatform.findUnique({ where: { issuer_clientId: { issuer, clientId } } });
    return row ? toPlatform(row) : null;
  }
  // OIDC login may omit client_id: only unambiguous when the issuer has one registration.
  const rows = await db.ltiPlatform.findMany({ where: { issuer }, take: 2 });
  return rows.length === 1 ? toPlatform(rows[0]!) : null;
}

export async function platformById(db: Db, id: string): Promise<Platform | null> {
  const row = await db.ltiPlatform.findUnique({ where: { id } });
  return row ? toPlatform(row) : null;
}

export async function listPlatforms(db: Db): Promise<Platform[]> {
  return (await db.ltiPlatform.findMany({ orderBy: { createdAt: "asc" } })).map(toPlatform);
}

export async function removePlatform(db: Db, id: string): Promise<boolean> {
  return (await db.ltiPlatform.deleteMany({ where: { id } })).count > 0;
}
