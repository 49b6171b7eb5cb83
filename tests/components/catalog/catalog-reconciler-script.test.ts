/**
 * The catalog reconciler's script, exactly as shipped, run by the real python3 against a fake OpenMetadata
 * API over HTTP (the endpoints it uses, with OpenMetadata's shapes: create-or-update by PUT on the
 * collection, entities by name, base64 passwords at login, owners as entity references).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requireTool } from "../../helpers.js";
import { CATALOG_RECONCILER_SCRIPT, desiredCatalogJson, planDataCatalog } from "./catalog-api.js";

const python = requireTool("python3", "apt-get install python3");
const ADMIN_PASSWORD = "stack-admin-pw-7Qx";
const DB_PASSWORD = "gateway-db-pw-9Zr";

interface Entity {
  id: string;
  [key: string]: unknown;
}

/** OpenMetadata's API as far as the reconciler uses it, in memory. */
class FakeOpenMetadata {
  adminPassword = "admin";
  teams = new Map<string, Entity>();
  classifications = new Map<string, Entity>();
  tags = new Map<string, Entity>();
  services = new Map<string, Entity>();
  pipelines = new Map<string, Entity>();
  deployed: string[] = [];
  writes: string[] = [];
  failNext = 0;
  private tokens = new Set<string>();
  private next = 1;
  server = http.createServer((req, res) => this.handle(req, res));

  private id(): string {
    return `00000000-0000-0000-0000-${String(this.next++).padStart(12, "0")}`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let text = "";
    req.on("data", (chunk) => (text += chunk));
    req.on("end", () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url!, "http://x");
      const route = `${req.method} ${decodeURIComponent(url.pathname.replace(/^\/api\/v1/, ""))}`;
      const body = text ? JSON.parse(text) : undefined;
      if (this.failNext > 0) {
        this.failNext--;
        return send(503, { message: "warming up" });
      }
      if (route === "GET /system/version") return send(200, { version: "1.13.3" });
      if (route === "POST /users/login") {
        const password = Buffer.from(body.password, "base64").toString();
        if (body.email !== "admin@open-metadata.org" || password !== this.adminPassword) return send(401, { message: "You have entered an invalid username or password." });
        const token = `jwt-${this.next++}`;
        this.tokens.add(token);
        return send(200, { accessToken: token, tokenType: "Bearer" });
      }
      if (!this.tokens.has((req.headers.authorization ?? "").replace("Bearer ", ""))) return send(401, { message: "Not authorized" });
      if (req.method !== "GET") this.writes.push(route);
      if (route === "PUT /users/changePassword") {
        if (body.oldPassword !== this.adminPassword || body.newPassword !== body.confirmPassword) return send(400, { message: "bad password change" });
        this.adminPassword = body.newPassword;
        return send(200, {});
      }
      const byName = (map: Map<string, Entity>, name: string) => (map.has(name) ? send(200, map.get(name)) : send(404, { message: `${name} not found` }));
      const upsert = (map: Map<string, Entity>, key: string, entity: Record<string, unknown>) => {
        const current = map.get(key);
        const saved = { ...current, ...entity, id: current?.id ?? this.id() } as Entity;
        map.set(key, saved);
        return send(current ? 200 : 201, saved);
      };
      let m: RegExpExecArray | null;
      if ((m = /^GET \/teams\/name\/(.+)$/.exec(route))) return byName(this.teams, m[1]!);
      if (route === "PUT /teams") return upsert(this.teams, body.name, body);
      if ((m = /^GET \/classifications\/name\/(.+)$/.exec(route))) return byName(this.classifications, m[1]!);
      if (route === "PUT /classifications") return upsert(this.classifications, body.name, body);
      if ((m = /^GET \/tags\/name\/(.+)$/.exec(route))) return byName(this.tags, m[1]!);
      if (route === "PUT /tags") return upsert(this.tags, `${body.classification}.${body.name}`, body);
      if ((m = /^GET \/services\/databaseServices\/name\/(.+)$/.exec(route))) {
        const service = this.services.get(m[1]!);
        if (!service) return send(404, { message: "not found" });
        // OpenMetadata masks passwords, and resolves owners to references with names.
        const config = (service["connection"] as { config: Record<string, unknown> }).config;
        const owners = (service["owners"] as Array<{ id: string }>).map((o) => ({ ...o, name: [...this.teams.values()].find((t) => t.id === o.id)?.["name"] }));
        return send(200, { ...service, owners, connection: { config: { ...config, authType: { password: "*********" } } } });
      }
      if (route === "PUT /services/databaseServices") return upsert(this.services, body.name, body);
      if ((m = /^GET \/services\/ingestionPipelines\/name\/(.+)$/.exec(route))) return byName(this.pipelines, m[1]!);
      if (route === "PUT /services/ingestionPipelines") {
        const service = [...this.services.values()].find((s) => s.id === body.service.id);
        if (!service) return send(400, { message: "unknown service" });
        return upsert(this.pipelines, `${service["name"]}.${body.name}`, body);
      }
      if ((m = /^POST \/services\/ingestionPipelines\/deploy\/(.+)$/.exec(route))) {
        this.deployed.push(m[1]!);
        return send(200, { code: 200 });
      }
      return send(404, { message: `no route ${route}` });
    });
  }
}

const plan = planDataCatalog("catalog", {
  database: { host: "catalog-db-rw.mlp-catalog.svc", port: 5432, database: "openmetadata_db", username: "openmetadata", secretName: "catalog-db-app-user" },
  teams: [
    { name: "vision", owners: ["vision-leads"], members: ["vision-scientists"] },
    { name: "platform", owners: ["platform-admins"] },
  ],
  sources: [
    { name: "catalog_db", host: "catalog-db-rw.mlp-catalog.svc", port: 5432, database: "openmetadata_db", username: "openmetadata", password: "openmetadata-pw", ownerTeam: "platform", description: "The data catalog's own metadata." },
    { name: "gateway_db", host: "gateway-db-rw.mlp-gateway.svc", port: 5432, database: "litellm", username: "litellm", password: DB_PASSWORD, ownerTeam: "platform", description: "The AI gateway's keys, teams and spend." },
  ],
});

describe.skipIf(python === undefined)("the catalog reconciler against a fake OpenMetadata", () => {
  let fake: FakeOpenMetadata;
  let dir: string;

  beforeEach(async () => {
    fake = new FakeOpenMetadata();
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    dir = mkdtempSync(path.join(tmpdir(), "catalog-reconciler-"));
    writeFileSync(path.join(dir, "reconcile_catalog.py"), CATALOG_RECONCILER_SCRIPT);
    writeFileSync(path.join(dir, "desired.json"), desiredCatalogJson(plan));
    writeFileSync(
      path.join(dir, "sources.json"),
      JSON.stringify({ catalog_db: { username: "openmetadata", password: "openmetadata-pw" }, gateway_db: { username: "litellm", password: DB_PASSWORD } }),
    );
  });

  afterEach(async () => {
    await new Promise((resolve) => fake.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function run(env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
    const port = (fake.server.address() as AddressInfo).port;
    return new Promise((resolve) => {
      const child = spawn(python!, [path.join(dir, "reconcile_catalog.py")], {
        env: {
          PATH: process.env["PATH"] ?? "",
          OPENMETADATA_URL: `http://127.0.0.1:${port}`,
          OPENMETADATA_ADMIN_PASSWORD: ADMIN_PASSWORD,
          DESIRED_FILE: path.join(dir, "desired.json"),
          SOURCES_FILE: path.join(dir, "sources.json"),
          RETRY_BACKOFF_SECONDS: "0.01",
          READY_TIMEOUT_SECONDS: "2",
          READY_POLL_SECONDS: "0.05",
          ...env,
        },
      });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      child.on("close", (code) => resolve({ code, out }));
    });
  }

  it("on a fresh catalog: replaces the initial admin password, creates the teams, the sensitivity tags, and the database services owned by their teams with a deployed ingestion", async () => {
    const { code, out } = await run();
    expect(out).toContain("0 failures");
    expect(code).toBe(0);
    expect(fake.adminPassword).toBe(ADMIN_PASSWORD);
    expect([...fake.teams.values()].map((t) => [t["name"], t["teamType"], t["displayName"]])).toEqual([
      ["vision", "Group", "vision"],
      ["platform", "Group", "platform"],
    ]);
    expect(fake.teams.get("vision")!["description"]).toBe("Team vision of the ML platform (groups: vision-leads, vision-scientists). Owns the datasets it registers.");
    expect([...fake.tags.keys()]).toEqual(["Sensitivity.Public", "Sensitivity.Internal", "Sensitivity.Confidential", "Sensitivity.Restricted"]);
    const catalogDb = fake.services.get("catalog_db")!;
    expect(catalogDb["owners"]).toEqual([{ id: fake.teams.get("platform")!.id, type: "team" }]);
    expect((catalogDb["connection"] as any).config).toMatchObject({ type: "Postgres", hostPort: "catalog-db-rw.mlp-catalog.svc:5432", database: "openmetadata_db", username: "openmetadata" });
    const gatewayDb = fake.services.get("gateway_db")!;
    expect((gatewayDb["connection"] as any).config).toMatchObject({ hostPort: "gateway-db-rw.mlp-gateway.svc:5432", database: "litellm", username: "litellm", authType: { password: DB_PASSWORD } });
    expect([...fake.pipelines.keys()]).toEqual(["catalog_db.catalog_db_metadata", "gateway_db.gateway_db_metadata"]);
    expect(fake.pipelines.get("gateway_db.gateway_db_metadata")!["pipelineType"]).toBe("metadata");
    expect(fake.deployed).toEqual([fake.pipelines.get("catalog_db.catalog_db_metadata")!.id, fake.pipelines.get("gateway_db.gateway_db_metadata")!.id]);
    // No password, the admin's or a database's, in anything it printed.
    for (const secret of [ADMIN_PASSWORD, DB_PASSWORD, "openmetadata-pw"]) expect(out).not.toContain(secret);
  });

  it("changes nothing on a second run", async () => {
    await run();
    fake.writes = [];
    const { code, out } = await run();
    expect(code).toBe(0);
    expect(out).toContain("0 changes, 0 failures");
    expect(fake.writes).toEqual([]);
  });

  it("updates only what drifted: a team's description edited in the UI, a pipeline rescheduled", async () => {
    await run();
    fake.teams.get("vision")!["description"] = "edited by hand";
    fake.pipelines.get("gateway_db.gateway_db_metadata")!["airflowConfig"] = { scheduleInterval: "0 0 * * *" };
    fake.writes = [];
    const { code, out } = await run();
    expect(code).toBe(0);
    expect(out).toContain("2 changes, 0 failures");
    expect(fake.writes).toEqual(["PUT /teams", "PUT /services/ingestionPipelines", `POST /services/ingestionPipelines/deploy/${fake.pipelines.get("gateway_db.gateway_db_metadata")!.id}`]);
  });

  it("retries while the catalog warms up (503), then succeeds", async () => {
    fake.failNext = 3;
    const { code } = await run();
    expect(code).toBe(0);
    expect(fake.teams.size).toBe(2);
  });

  it("fails to start (exit 2) when the admin password is neither the stack's nor the initial one, and says what to do", async () => {
    fake.adminPassword = "changed-by-someone";
    const { code, out } = await run();
    expect(code).toBe(2);
    expect(out).toContain("the admin's password is neither the stack's nor the initial one");
    expect(fake.teams.size).toBe(0);
  });

  it("fails (exit 1) for a service without credentials, and still reconciles the rest", async () => {
    writeFileSync(path.join(dir, "sources.json"), JSON.stringify({ catalog_db: { username: "openmetadata", password: "openmetadata-pw" } }));
    const { code, out } = await run();
    expect(code).toBe(1);
    expect(out).toContain("FAILED service gateway_db: no credentials in the sources file");
    expect(fake.services.has("catalog_db")).toBe(true);
  });
});
