import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from "jose";

/**
 * A test fixture playing the LMS side of LTI 1.3 (a small Moodle/Canvas stand-in): real HTTP on
 * loopback, its own RSA keys and JWKS, the IMS message shapes. It answers the tool's OIDC login
 * redirect with a form_post of a signed id_token, issues client-credentials tokens after checking
 * the tool's signed assertion against the tool's JWKS (fetched over HTTP), and keeps line items,
 * scores, a paged roster and Deep Linking returns for the tests to inspect. Launches can be
 * tampered with (rogue key, wrong audience, expired, unknown deployment) to drive every refusal.
 */

export const ROLE = {
  instructor: "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
  learner: "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
};

export interface SimUser {
  sub: string;
  name: string;
  email?: string;
  roles: string[];
}

export interface LaunchSpec {
  user: SimUser;
  type?: "LtiResourceLinkRequest" | "LtiDeepLinkingRequest";
  context?: { id: string; title: string };
  resourceLinkId?: string;
  custom?: Record<string, string>;
  /** AGS claim: `lineitem` names a line item of this simulator (by id), `lineitems` offers the container. */
  ags?: { lineItemId?: string; lineitems?: boolean; scopes?: string[] };
  nrps?: boolean;
  locale?: string;
  deploymentId?: string;
  /** Where the launch goes (default the tool's launch URL). */
  targetLinkUri?: string;
  tamper?: { rogueKey?: boolean; aud?: string; expOffsetS?: number; iatOffsetS?: number; nonce?: string; deploymentId?: string };
}

export interface Score {
  lineItemId: string;
  body: Record<string, unknown>;
  scopes: string[];
}

export interface LineItem {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  resourceLinkId?: string;
}

export interface SimOptions {
  clientId?: string;
  deploymentId?: string;
  /** The tool's URLs (login, launch, JWKS), as registered in this LMS. */
  tool: { loginUrl: string; launchUrl: string; jwksUrl: string };
  port?: number;
}

function htmlForm(action: string, fields: Record<string, string>): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("");
  return `<!doctype html><html><body><form id="f" method="post" action="${esc(action)}">${inputs}<button type="submit">Continue</button></form><script>document.getElementById("f").submit()</script></body></html>`;
}

async function body(req: http.IncomingMessage): Promise<string> {
  let s = "";
  for await (const c of req) s += c;
  return s;
}

export class PlatformSimulator {
  readonly clientId: string;
  readonly deploymentId: string;
  origin = "";
  private server!: http.Server;
  private key!: CryptoKey;
  private rogue!: CryptoKey;
  private publicJwk!: JWK;
  private readonly launches = new Map<string, LaunchSpec>();
  private readonly tokens = new Map<string, string[]>();
  readonly lineItems = new Map<string, LineItem>();
  readonly scores: Score[] = [];
  readonly deepLinkReturns: Record<string, unknown>[] = [];
  readonly tokenRequests: { scope: string; ok: boolean; error?: string }[] = [];
  /** The course roster NRPS serves, in pages of 2. */
  roster: (SimUser & { status?: "Active" | "Inactive" })[] = [];
  /** When true, the scores endpoint answers 503 (an LMS that is down). */
  failScores = false;
  /** The id_tokens this platform posted, for replay tests. */
  readonly posted: { idToken: string; state: string; launchUrl: string }[] = [];

  constructor(private readonly o: SimOptions) {
    this.clientId = o.clientId ?? "tool-client-1";
    this.deploymentId = o.deploymentId ?? "deployment-1";
  }

  get issuer(): string {
    return this.origin;
  }

  registration() {
    return {
      name: "Simulated LMS",
      issuer: this.issuer,
      clientId: this.clientId,
      authUrl: `${this.origin}/auth`,
      tokenUrl: `${this.origin}/token`,
      jwksUrl: `${this.origin}/jwks`,
      deploymentIds: [this.deploymentId],
    };
  }

  async start(): Promise<this> {
    const kp = await generateKeyPair("RS256", { extractable: true });
    this.key = kp.privateKey;
    this.publicJwk = { ...(await exportJWK(kp.publicKey)), kid: "sim-key-1", alg: "RS256", use: "sig" };
    this.rogue = (await generateKeyPair("RS256")).privateKey;
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((e: Error) => {
        res.writeHead(500, { "content-type": "text/plain" }).end(e.message);
      });
    });
    await new Promise<void>((r) => this.server.listen(this.o.port ?? 0, "127.0.0.1", r));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  addLineItem(label: string, resourceLinkId?: string): LineItem {
    const li: LineItem = {
      id: `${this.origin}/lineitems/${randomBytes(4).toString("hex")}`,
      label,
      scoreMaximum: 100,
      ...(resourceLinkId ? { resourceLinkId } : {}),
    };
    this.lineItems.set(li.id, li);
    return li;
  }

  /** Registers a launch; the returned URL (this simulator's) sends a browser into the tool's login. */
  prepareLaunch(spec: LaunchSpec): { loginHint: string; startUrl: string; loginParams: Record<string, string> } {
    const loginHint = randomBytes(8).toString("hex");
    this.launches.set(loginHint, spec);
    const loginParams = this.prepareLaunchParams(loginHint, spec);
    return { loginHint, startUrl: `${this.origin}/start?hint=${loginHint}`, loginParams };
  }

  private claims(spec: LaunchSpec, nonce: string, redirectUri: string): Record<string, unknown> {
    const c: Record<string, unknown> = {
      nonce: spec.tamper?.nonce ?? nonce,
      sub: spec.user.sub,
      name: spec.user.name,
      ...(spec.user.email ? { email: spec.user.email } : {}),
      "https://purl.imsglobal.org/spec/lti/claim/message_type": spec.type ?? "LtiResourceLinkRequest",
      "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
      "https://purl.imsglobal.org/spec/lti/claim/deployment_id": spec.tamper?.deploymentId ?? spec.deploymentId ?? this.deploymentId,
      "https://purl.imsglobal.org/spec/lti/claim/target_link_uri": spec.targetLinkUri ?? redirectUri,
      "https://purl.imsglobal.org/spec/lti/claim/roles": spec.user.roles,
      ...(spec.context
        ? {
            "https://purl.imsglobal.org/spec/lti/claim/context": {
              ...spec.context,
              label: spec.context.title,
              type: ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
            },
          }
        : {}),
      ...(spec.locale
        ? { "https://purl.imsglobal.org/spec/lti/claim/launch_presentation": { locale: spec.locale, document_target: "window" } }
        : {}),
      ...(spec.custom ? { "https://purl.imsglobal.org/spec/lti/claim/custom": spec.custom } : {}),
    };
    if ((spec.type ?? "LtiResourceLinkRequest") === "LtiResourceLinkRequest") {
      c["https://purl.imsglobal.org/spec/lti/claim/resource_link"] = { id: spec.resourceLinkId ?? "link-1", title: "Activity" };
    } else {
      c["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
        deep_link_return_url: `${this.origin}/deep-link-return`,
        accept_types: ["ltiResourceLink"],
        accept_presentation_document_targets: ["window"],
        accept_multiple: false,
        data: "opaque-platform-data",
      };
    }
    if (spec.ags) {
      c["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = {
        scope: spec.ags.scopes ?? [
          "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
          "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        ],
        ...(spec.ags.lineitems ? { lineitems: `${this.origin}/lineitems` } : {}),
        ...(spec.ags.lineItemId ? { lineitem: spec.ags.lineItemId } : {}),
      };
    }
    if (spec.nrps) {
      c["https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"] = {
        context_memberships_url: `${this.origin}/memberships`,
        service_versions: ["2.0"],
      };
    }
    return c;
  }

  private async signIdToken(spec: LaunchSpec, nonce: string, redirectUri: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const t = spec.tamper ?? {};
    return new SignJWT(this.claims(spec, nonce, redirectUri))
      .setProtectedHeader({ alg: "RS256", kid: "sim-key-1", typ: "JWT" })
      .setIssuer(this.issuer)
      .setAudience(t.aud ?? this.clientId)
      .setIssuedAt(now + (t.iatOffsetS ?? 0))
      .setExpirationTime(now + (t.expOffsetS ?? 300))
      .sign(t.rogueKey ? this.rogue : this.key);
  }

  private bearerScopes(req: http.IncomingMessage): string[] | null {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    return m ? (this.tokens.get(m[1]!) ?? null) : null;
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const json = (status: number, v: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(v));
    };

    if (url.pathname === "/jwks") return json(200, { keys: [this.publicJwk] });

    // The LMS page a learner clicks: a form post into the tool's OIDC login (third-party initiated).
    if (url.pathname === "/start") {
      const spec = this.launches.get(url.searchParams.get("hint") ?? "");
      if (!spec) return json(404, { error: "unknown launch" });
      const p = this.prepareLaunchParams(url.searchParams.get("hint")!, spec);
      res.writeHead(200, { "content-type": "text/html" }).end(htmlForm(this.o.tool.loginUrl, p));
      return;
    }

    // OIDC authorization endpoint: checks the tool's request and answers with the id_token as a form_post.
    if (url.pathname === "/auth") {
      const q = url.searchParams;
      const problems: string[] = [];
      if (q.get("scope") !== "openid") problems.push("scope");
      if (q.get("response_type") !== "id_token") problems.push("response_type");
      if (q.get("response_mode") !== "form_post") problems.push("response_mode");
      if (q.get("prompt") !== "none") problems.push("prompt");
      if (q.get("client_id") !== this.clientId) problems.push("client_id");
      if (q.get("redirect_uri") !== this.o.tool.launchUrl) problems.push(`redirect_uri ${q.get("redirect_uri")}`);
      if (!q.get("nonce") || !q.get("state")) problems.push("nonce/state");
      const hint = q.get("login_hint") ?? "";
      const spec = this.launches.get(hint);
      if (!spec) problems.push("login_hint");
      if (q.get("lti_message_hint") !== `msg-${hint}`) problems.push("lti_message_hint");
      if (problems.length) return json(400, { error: "invalid_request", problems });
      const idToken = await this.signIdToken(spec!, q.get("nonce")!, q.get("redirect_uri")!);
      this.posted.push({ idToken, state: q.get("state")!, launchUrl: q.get("redirect_uri")! });
      res
        .writeHead(200, { "content-type": "text/html" })
        .end(htmlForm(q.get("redirect_uri")!, { id_token: idToken, state: q.get("state")! }));
      return;
    }

    // OAuth 2 client credentials with a JWT assertion signed by the tool (checked against its JWKS).
    if (url.pathname === "/token" && req.method === "POST") {
      const f = new URLSearchParams(await body(req));
      const scope = f.get("scope") ?? "";
      try {
        if (f.get("grant_type") !== "client_credentials") throw new Error("grant_type");
        if (f.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
          throw new Error("client_assertion_type");
        const { payload } = await jwtVerify(f.get("client_assertion") ?? "", createRemoteJWKSet(new URL(this.o.tool.jwksUrl)), {
          issuer: this.clientId,
          subject: this.clientId,
          audience: `${this.origin}/token`,
        });
        if (!payload.jti) throw new Error("jti");
      } catch (e) {
        this.tokenRequests.push({ scope, ok: false, error: (e as Error).message });
        return json(401, { error: "invalid_client", error_description: (e as Error).message });
      }
      const token = randomBytes(16).toString("hex");
      this.tokens.set(token, scope.split(" ").filter(Boolean));
      this.tokenRequests.push({ scope, ok: true });
      return json(200, { access_token: token, token_type: "Bearer", expires_in: 3600, scope });
    }

    if (url.pathname === "/lineitems") {
      const scopes = this.bearerScopes(req);
      if (!scopes?.some((s) => s.includes("lti-ags/scope/lineitem"))) return json(401, { error: "no lineitem scope" });
      if (req.method === "GET") {
        const rl = url.searchParams.get("resource_link_id");
        return json(
          200,
          [...this.lineItems.values()].filter((li) => !rl || li.resourceLinkId === rl),
        );
      }
      const b = JSON.parse(await body(req)) as Omit<LineItem, "id">;
      const li = this.addLineItem(b.label, b.resourceLinkId);
      Object.assign(li, { scoreMaximum: b.scoreMaximum, resourceId: b.resourceId });
      return json(201, li);
    }

    const scoreMatch = /^\/lineitems\/([0-9a-f]+)\/scores$/.exec(url.pathname);
    if (scoreMatch && req.method === "POST") {
      const scopes = this.bearerScopes(req);
      if (!scopes?.includes("https://purl.imsglobal.org/spec/lti-ags/scope/score")) return json(401, { error: "no score scope" });
      if (this.failScores) return json(503, { error: "maintenance" });
      if (req.headers["content-type"] !== "application/vnd.ims.lis.v1.score+json") return json(415, { error: "content type" });
      const id = `${this.origin}/lineitems/${scoreMatch[1]}`;
      if (!this.lineItems.has(id)) return json(404, { error: "no such line item" });
      this.scores.push({ lineItemId: id, body: JSON.parse(await body(req)) as Record<string, unknown>, scopes });
      res.writeHead(204).end();
      return;
    }

    if (url.pathname === "/memberships") {
      const scopes = this.bearerScopes(req);
      if (!scopes?.includes("https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"))
        return json(401, { error: "no nrps scope" });
      const page = Number(url.searchParams.get("page") ?? "0");
      const members = this.roster.slice(page * 2, page * 2 + 2).map((u) => ({
        user_id: u.sub,
        name: u.name,
        ...(u.email ? { email: u.email } : {}),
        roles: u.roles,
        status: u.status ?? "Active",
      }));
      const more = (page + 1) * 2 < this.roster.length;
      return json(
        200,
        { id: `${this.origin}/memberships`, context: { id: "ctx" }, members },
        more ? { link: `<${this.origin}/memberships?page=${page + 1}>; rel="next"` } : {},
      );
    }

    // Where the tool's Deep Linking response lands: verified with the tool's JWKS like a real LMS.
    if (url.pathname === "/deep-link-return" && req.method === "POST") {
      const f = new URLSearchParams(await body(req));
      try {
        const { payload } = await jwtVerify(f.get("JWT") ?? "", createRemoteJWKSet(new URL(this.o.tool.jwksUrl)), {
          issuer: this.clientId,
          audience: this.issuer,
        });
        this.deepLinkReturns.push(payload as Record<string, unknown>);
        res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>Saved</title><h1>Activity added</h1>");
      } catch (e) {
        json(400, { error: (e as Error).message });
      }
      return;
    }
    json(404, { error: "not found" });
  }

  private prepareLaunchParams(hint: string, spec: LaunchSpec): Record<string, string> {
    return {
      iss: this.issuer,
      login_hint: hint,
      target_link_uri: spec.targetLinkUri ?? this.o.tool.launchUrl,
      lti_message_hint: `msg-${hint}`,
      client_id: this.clientId,
      lti_deployment_id: spec.deploymentId ?? this.deploymentId,
    };
  }
}
