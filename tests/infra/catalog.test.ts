/**
 * The Backstage catalog of the platform's own assets (infra/catalog.ts): what each shipped stack exports,
 * checked with Backstage's own validators (@backstage/catalog-model), and the relations and links a portal
 * user follows.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Entity } from "@backstage/catalog-model";
import { parseAllDocuments, parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { alertsOf, dashboardsOf, docsUrlFor, exportCatalog, headingAnchor, parseArgs, validateEntities } from "../../infra/catalog.js";
import { renderStack } from "../../infra/render.js";
import { ROOT, tempDir } from "./render-helpers.js";

const DOCS = "https://git.example.com/acme/mlops-platform/blob/main";
const STACKS = ["local", "dev", "staging", "prod"];

async function exported(stack: string, extra: { grafanaUrl?: string; owner?: string } = {}) {
  const out = path.join(tempDir("mlp-catalog-"), "catalog-info.yaml");
  const result = await exportCatalog({ stack, docsUrl: DOCS, out, cwd: ROOT, ...extra });
  expect(result.exitCode, result.report).toBe(0);
  const written = parseAllDocuments(fs.readFileSync(out, "utf8")).map((doc) => doc.toJSON() as Entity);
  return { entities: result.entities!, written, report: result.report };
}

const byKind = (entities: Entity[], kind: string) => entities.filter((e) => e.kind === kind).map((e) => e.metadata.name);
const one = (entities: Entity[], kind: string, name: string): Entity => {
  const found = entities.find((e) => e.kind === kind && e.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${entities.map((e) => `${e.kind}:${e.metadata.name}`).join(", ")}`);
  return found;
};
const links = (entity: Entity) => entity.metadata.links ?? [];

describe.each(STACKS)("the %s stack's catalog", (stack) => {
  it("is valid for Backstage, every relation names an entity of it, and the file holds exactly those entities", async () => {
    const { entities, written, report } = await exported(stack);
    expect(await validateEntities(entities)).toEqual([]);
    expect(written).toEqual(entities);
    expect(report).toMatch(/valid for Backstage \(@backstage\/catalog-model\)/);
    // Every entity in the environment's own namespace, so each environment's file can be registered.
    expect(new Set(entities.map((e) => e.metadata.namespace))).toEqual(new Set([stack]));
  });
});

describe("the dev stack's catalog", () => {
  let entities: Entity[] = [];
  let plan: Parameters<typeof alertsOf>[0];
  beforeAll(async () => {
    entities = (await exported("dev")).entities;
    const outcome = await renderStack({ stack: "dev", check: true, cwd: ROOT });
    plan = outcome.artifacts!.plan;
  });

  it("has the platform as a System, the teams as Groups, each capability dev runs as a Component, the gateway as an API", () => {
    expect(byKind(entities, "System")).toEqual(["mlops-platform"]);
    expect(byKind(entities, "Group")).toEqual(["platform-team", "vision"]);
    expect(byKind(entities, "Component")).toEqual(["cluster-base", "gpu-operator", "notebooks", "training", "ai-gateway", "gateway-teams", "data-catalog", "cloudnative-pg", "monitoring"]);
    expect(byKind(entities, "API")).toEqual(["ai-gateway"]);
    expect(byKind(entities, "Resource")).toEqual(["team-vision", "gpu-pool-l4-spot", "gateway-database", "catalog-database"]);
  });

  it("gives every capability its owner, its system and its dependencies", () => {
    for (const name of byKind(entities, "Component")) {
      expect(one(entities, "Component", name).spec).toMatchObject({ owner: "group:dev/platform-team", system: "system:dev/mlops-platform", lifecycle: "experimental" });
    }
    expect(one(entities, "Component", "ai-gateway").spec).toMatchObject({ dependsOn: ["resource:dev/gateway-database"], providesApis: ["api:dev/ai-gateway"] });
    expect(one(entities, "Component", "training").spec!["dependsOn"]).toEqual(["component:dev/cluster-base", "component:dev/gpu-operator"]);
    expect(one(entities, "Component", "gpu-operator").spec!["dependsOn"]).toEqual(["resource:dev/gpu-pool-l4-spot"]);
    expect(one(entities, "Resource", "gateway-database").spec).toMatchObject({ type: "database", dependsOn: ["component:dev/cloudnative-pg"] });
    expect(one(entities, "Resource", "catalog-database").metadata.annotations).toMatchObject({ "backstage.io/kubernetes-namespace": "mlp-catalog" });
    expect(one(entities, "Component", "data-catalog").spec).toMatchObject({ dependsOn: ["resource:dev/catalog-database"] });
  });

  it("gives a team its namespace as a Resource it owns, named as Backstage's Kubernetes plugin reads it", () => {
    const namespace = one(entities, "Resource", "team-vision");
    expect(namespace.spec).toMatchObject({ type: "kubernetes-namespace", owner: "group:dev/vision" });
    expect(namespace.metadata.annotations).toMatchObject({ "backstage.io/kubernetes-namespace": "team-vision" });
    expect(one(entities, "Group", "vision").metadata.annotations).toMatchObject({ "mlops-platform.io/owner-groups": "vision-leads", "mlops-platform.io/member-groups": "vision-scientists" });
    expect(one(entities, "Component", "ai-gateway").metadata.annotations).toMatchObject({ "backstage.io/kubernetes-namespace": "mlp-gateway" });
  });

  it("describes the gateway's API as OpenAPI: its in-cluster URL, its models, a bearer key", () => {
    const definition = parse(one(entities, "API", "ai-gateway").spec!["definition"] as string) as Record<string, any>;
    expect(definition["openapi"]).toBe("3.0.3");
    expect(definition["servers"]).toEqual([{ url: "http://ai-gateway.mlp-gateway.svc:4000", description: "In the cluster" }]);
    expect(Object.keys(definition["paths"])).toEqual(["/v1/chat/completions", "/v1/embeddings", "/v1/models"]);
    expect(definition["info"].description).toContain("Models: chat-default, chat-claude, embed-default.");
    expect(definition["components"].securitySchemes.teamKey).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("links every alert the stack deploys to its runbook, once per entity it is about (the database alerts on each database), by URL", () => {
    const runbooks = entities.flatMap(links).filter((l) => l.type === "runbook");
    const alerts = alertsOf(plan).map((a) => a.alert);
    expect(alerts.length).toBeGreaterThan(10);
    // Database alerts are per namespace: each database's Resource links them.
    const databases = byKind(entities, "Resource").filter((name) => name.endsWith("-database"));
    expect(databases).toEqual(["gateway-database", "catalog-database"]);
    const perEntity = (alert: string) => (alert.startsWith("Postgres") ? databases.length : 1);
    expect(runbooks.map((l) => l.title).sort()).toEqual(alerts.flatMap((a) => Array<string>(perEntity(a)).fill(`Runbook: ${a}`)).sort());
    expect(runbooks.every((l) => l.url.startsWith(`${DOCS}/docs/runbooks.md#`))).toBe(true);
    expect(one(entities, "Component", "ai-gateway").metadata.links).toContainEqual({ url: `${DOCS}/docs/runbooks.md#gatewayerrorratehigh`, title: "Runbook: GatewayErrorRateHigh", icon: "help", type: "runbook" });
  });

  const runbooksFile = path.join(ROOT, "docs", "runbooks.md");
  it.skipIf(!fs.existsSync(runbooksFile))("links each runbook to a section docs/runbooks.md has", () => {
    const anchors = new Set([...fs.readFileSync(runbooksFile, "utf8").matchAll(/^#{2,3} (.+)$/gm)].map((m) => headingAnchor(m[1]!)));
    const missing = entities
      .flatMap(links)
      .filter((l) => l.url.startsWith(`${DOCS}/docs/runbooks.md#`))
      .map((l) => l.url.slice(l.url.indexOf("#") + 1))
      .filter((anchor) => !anchors.has(anchor));
    expect(missing).toEqual([]);
  });

  it("links the dashboards to the docs, or with Grafana's URL each dashboard itself", async () => {
    expect(one(entities, "Component", "ai-gateway").metadata.links).toContainEqual(expect.objectContaining({ url: `${DOCS}/docs/monitoring.md#dashboards`, type: "dashboard" }));
    const withGrafana = (await exported("dev", { grafanaUrl: "https://grafana.example.com" })).entities;
    // Every dashboard somewhere (the workloads dashboard on both notebooks and training), nothing else.
    const linked = new Set(withGrafana.flatMap(links).filter((l) => l.type === "dashboard").map((l) => l.url));
    expect([...linked].sort()).toEqual(dashboardsOf(plan).map((d) => `https://grafana.example.com/d/${d.uid}`).sort());
  });

  it("takes the company's own group as owner instead of a platform-team group of its own", async () => {
    const owned = (await exported("dev", { owner: "group:default/ml-platform" })).entities;
    expect(byKind(owned, "Group")).toEqual(["vision"]);
    expect(one(owned, "System", "mlops-platform").spec).toEqual({ owner: "group:default/ml-platform" });
    expect(await validateEntities(owned, ["group:default/ml-platform"])).toEqual([]);
  });
});

describe("validation", () => {
  const component = (name: string, spec: Record<string, unknown> = {}): Entity => ({
    apiVersion: "backstage.io/v1alpha1",
    kind: "Component",
    metadata: { name, namespace: "dev" },
    spec: { type: "service", lifecycle: "experimental", owner: "group:dev/platform-team", ...spec },
  });
  const owner: Entity = { apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: "platform-team", namespace: "dev" }, spec: { type: "team", children: [] } };

  it("reports what Backstage's own validators refuse, in their words", async () => {
    const [problem] = await validateEntities([owner, component("not a name!")]);
    expect(problem).toMatch(/^Component:dev\/not a name!: .*metadata\.name.*"not a name!"/);
  });

  it("reports a kind's schema problem (a component without a lifecycle)", async () => {
    const entity = component("gateway");
    delete (entity.spec as Record<string, unknown>)["lifecycle"];
    expect(await validateEntities([owner, entity])).toEqual([expect.stringMatching(/^Component:dev\/gateway: .*lifecycle/)]);
  });

  it("reports a relation to an entity the export does not have", async () => {
    expect(await validateEntities([owner, component("gateway", { dependsOn: ["resource:dev/database"] })])).toEqual(["Component:dev/gateway: resource:dev/database names no entity of this export"]);
  });
});

describe("the command line", () => {
  it("parses its options and requires a stack", () => {
    expect(parseArgs(["--stack", "dev", "--grafana-url=https://g", "--owner", "group:default/x"])).toEqual({ stack: "dev", grafanaUrl: "https://g", owner: "group:default/x" });
    expect(parseArgs(["--docs-url", "https://x"])).toContain("missing --stack");
    expect(parseArgs(["--stack"])).toContain("--stack needs a value");
  });

  it("finds the docs' URL from a GitHub Actions run, or from git's origin, and says when it cannot", () => {
    expect(docsUrlFor(ROOT, { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/mlops", GITHUB_SHA: "abc" })).toBe("https://github.com/acme/mlops/blob/abc");
    expect(docsUrlFor(tempDir("mlp-no-git-"), {})).toBeUndefined();
  });

  it("fails with exit code 2 for a stack that does not exist", async () => {
    const result = await exportCatalog({ stack: "qa", docsUrl: DOCS, cwd: ROOT, out: path.join(tempDir("mlp-catalog-"), "c.yaml") });
    expect(result.exitCode).toBe(2);
    expect(result.report).toContain('unknown stack "qa"');
  });
});
