/**
 * `npm run catalog -- --stack <env> [--docs-url <url>] [--grafana-url <url>] [--owner <group ref>] [--out <file>]`:
 * the platform's own assets as Backstage catalog entities (`catalog-info.yaml`), so they are browsable in
 * the company's developer portal: the platform as a System; each capability the stack runs as a Component
 * with its owner, its dependencies, its Kubernetes namespace and label selector (for Backstage's Kubernetes
 * plugin), and links to its dashboards, its alerts' runbooks and its docs; the AI gateway as an API (an
 * OpenAPI definition of its OpenAI-compatible endpoints and models); the teams as Groups owning their
 * namespaces (Resources), as do the GPU pools and the gateway's database.
 *
 * What the stack runs comes from its offline render (the same capture `npm run render` makes), so the
 * export lists exactly the capabilities, dashboards and alerts the stack deploys. Each environment's
 * entities live in the Backstage namespace of its name (`component:dev/notebooks`), so every environment's
 * file can be registered beside the others. Every entity is validated with Backstage's own validators
 * (@backstage/catalog-model: the entity envelope and policies, and each kind's schema), and every relation
 * must name an entity of the export (or the given owner) before anything is written.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  type Entity,
  type EntityLink,
} from "@backstage/catalog-model";
import type { Plan, PlanResource } from "@mlops-platform/components/testing";
import { stringify } from "yaml";
import { formatUsd } from "./cost.js";
import { parsePlatformConfig, rawPlatformConfig, stackFileFor, type PlatformConfig } from "./config.js";
import { renderStack } from "./render.js";
import { findProject, loadOfflineStack } from "./stack-files.js";

const API_VERSION = "backstage.io/v1alpha1";
const SYSTEM = "mlops-platform";
/** The group that owns the platform's entities unless `--owner` names the company's own. */
const PLATFORM_TEAM = "platform-team";

/** A capability of the platform as the portal shows it: which component class it is, and what it needs. */
interface Capability {
  /** The platform component class (`<Class>::<name>` in plan.json) that runs it. */
  component: string;
  name: string;
  title: string;
  description: string;
  /**
   * Dashboards and alert groups of the monitoring stack about it: `mlp-<key>-dashboard`, `mlp-<key>` rules.
   * Those no capability claims (cost, models, each monitored model's) belong to the System.
   */
  monitoring: string[];
  /** Entity refs (in this export) it depends on; those the stack does not run are left out. */
  dependsOn: string[];
  /** Docs about it, relative to the repository. */
  docs: Array<{ path: string; title: string }>;
}

const CAPABILITIES: Capability[] = [
  {
    component: "ClusterBase",
    name: "cluster-base",
    title: "Cluster base",
    description: "Platform namespaces (Pod Security labelled), cert-manager and the platform's PriorityClasses.",
    monitoring: [],
    dependsOn: [],
    docs: [{ path: "README.md#environments-and-stack-configuration", title: "Stack configuration" }],
  },
  {
    component: "GpuOperator",
    name: "gpu-operator",
    title: "NVIDIA GPU Operator",
    description: "Device plugin, time-slicing and MIG, and the DCGM exporter on the GPU pools' nodes.",
    monitoring: ["gpus"],
    dependsOn: ["resource:gpu-pool-*"],
    docs: [{ path: "README.md#gpu-pools-and-what-they-cost", title: "GPU pools and what they cost" }],
  },
  {
    component: "NotebookPlatform",
    name: "notebooks",
    title: "Notebooks",
    description: "Kubeflow Notebooks with idle culling, curated images and sizes, and PodDefaults per team.",
    monitoring: ["notebooks", "workloads"],
    dependsOn: ["component:cluster-base"],
    docs: [{ path: "README.md#notebooks-from-idea-to-gpu", title: "Notebooks: from idea to GPU" }],
  },
  {
    component: "NotebookAccess",
    name: "notebook-access",
    title: "Notebook access",
    description: "OIDC sign-in in front of every team's notebooks, through the cluster's ingress or gateway.",
    monitoring: [],
    dependsOn: ["component:notebooks"],
    docs: [{ path: "README.md#notebooks-from-idea-to-gpu", title: "Notebooks: from idea to GPU" }],
  },
  {
    component: "TrainingPlatform",
    name: "training",
    title: "Training",
    description: "Kubeflow Trainer with the platform's runtimes per GPU pool, and Kueue fair GPU sharing between teams.",
    monitoring: ["training", "kueue", "workloads"],
    dependsOn: ["component:cluster-base", "component:gpu-operator"],
    docs: [{ path: "README.md#training-and-fair-gpu-sharing", title: "Training and fair GPU sharing" }],
  },
  {
    component: "AiGateway",
    name: "ai-gateway",
    title: "AI gateway",
    description: "LiteLLM: one OpenAI-compatible endpoint to every model provider, with per-team keys and budgets, fallbacks, a cache and rate limits.",
    monitoring: ["gateway"],
    dependsOn: ["resource:gateway-database"],
    docs: [
      { path: "README.md#ai-gateway-one-door-to-every-llm-provider", title: "AI gateway" },
      { path: "docs/gateway-teams.md", title: "Gateway teams and their keys" },
    ],
  },
  {
    component: "GatewayTeamReconciler",
    name: "gateway-teams",
    title: "Gateway teams",
    description: "Creates every team's LiteLLM team and key in the cluster and keeps them as the stack says.",
    monitoring: [],
    dependsOn: ["component:ai-gateway"],
    docs: [{ path: "docs/gateway-teams.md", title: "Gateway teams and their keys" }],
  },
  {
    component: "DataCatalog",
    name: "data-catalog",
    title: "Data catalog",
    description: "OpenMetadata: the platform's datasets with their owners (the teams), sensitivity and lineage, and the platform's own databases ingested.",
    monitoring: [],
    dependsOn: ["resource:catalog-database"],
    docs: [{ path: "README.md#data-catalog-governed-data-nothing-lost", title: "Data catalog" }],
  },
  {
    component: "CloudNativePgOperator",
    name: "cloudnative-pg",
    title: "CloudNativePG",
    description: "The PostgreSQL operator and its barman-cloud backup plugin.",
    // The databases' own dashboard and alerts belong to the database (a Resource), not to its operator.
    monitoring: [],
    dependsOn: ["component:cluster-base"],
    docs: [{ path: "README.md#ai-gateway-one-door-to-every-llm-provider", title: "The gateway's database" }],
  },
  {
    component: "MonitoringStack",
    name: "monitoring",
    title: "Monitoring",
    description: "Prometheus, Alertmanager and Grafana, OpenCost, the platform's alerts and dashboards, and model drift.",
    monitoring: ["targets", "monitoring"],
    dependsOn: [],
    docs: [
      { path: "docs/monitoring.md", title: "Monitoring" },
      { path: "docs/runbooks.md", title: "Runbooks" },
    ],
  },
];

/** What the export is made from: the stack's config and its offline render. */
export interface CatalogInput {
  stack: string;
  config: PlatformConfig;
  plan: Plan;
  /** The program's stack outputs (`gatewayUrl`, `teamNamespaces`, ...). */
  outputs: Record<string, unknown>;
  /** Base URL of the repository's files (`https://github.com/<org>/<repo>/blob/main`). */
  docsUrl: string;
  /** Grafana's URL, for links to each dashboard; without it, links go to the dashboards' docs. */
  grafanaUrl?: string;
  /** Entity ref of the group that owns the platform (`group:default/ml-platform`); default: a `platform-team` group of the export. */
  owner?: string;
}

const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
const componentClass = (resource: PlanResource): string => resource.component.split("::")[0] ?? "";
const join = (base: string, relative: string): string => `${base.replace(/\/+$/, "")}/${relative}`;

/** A dashboard or an alert group of the monitoring stack, with what it is about (`gateway` of `mlp-gateway`). */
interface Dashboard {
  key: string;
  uid: string;
  title: string;
}
interface Alert {
  key: string;
  alert: string;
  runbookUrl?: string;
}

/** The dashboards the render has: ConfigMaps labelled for Grafana's sidecar, each JSON with its uid and title. */
export function dashboardsOf(plan: Plan): Dashboard[] {
  return plan.resources
    .filter((r) => r.type === "kubernetes:core/v1:ConfigMap" && get(get(get(r.inputs, "metadata"), "labels"), "grafana_dashboard") === "1")
    .flatMap((r) => {
      const name = String(get(get(r.inputs, "metadata"), "name"));
      const key = name.replace(/^mlp-/, "").replace(/-dashboard$/, "");
      return Object.values((get(r.inputs, "data") ?? {}) as Record<string, string>).flatMap((json) => {
        try {
          const dashboard = JSON.parse(json) as { uid?: string; title?: string };
          return dashboard.uid ? [{ key, uid: dashboard.uid, title: dashboard.title ?? dashboard.uid }] : [];
        } catch {
          return [];
        }
      });
    });
}

/** The alerts of the render's PrometheusRules, by rule name (`mlp-gateway` -> `gateway`), with their runbook URL if set. */
export function alertsOf(plan: Plan): Alert[] {
  return plan.resources
    .filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule")
    .flatMap((r) => {
      const key = String(get(get(r.inputs, "metadata"), "name")).replace(/^mlp-/, "");
      const groups = (get(get(r.inputs, "spec"), "groups") ?? []) as Array<{ rules?: Array<{ alert?: string; annotations?: Record<string, string> }> }>;
      return groups.flatMap((g) =>
        (g.rules ?? []).flatMap((rule) => (rule.alert ? [{ key, alert: rule.alert, ...(rule.annotations?.["runbook_url"] ? { runbookUrl: rule.annotations["runbook_url"] } : {}) }] : [])),
      );
    });
}

/** GitHub's anchor of a Markdown heading: lower case, spaces to dashes, punctuation dropped. */
export const headingAnchor = (heading: string): string => heading.trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");

/** The namespaces a component's Kubernetes objects are in (its own; cluster-scoped objects have none). */
function namespacesOf(plan: Plan, component: string): string[] {
  const found = plan.resources
    .filter((r) => componentClass(r) === component)
    .map((r) => get(get(r.inputs, "metadata"), "namespace") ?? (r.type.startsWith("kubernetes:helm.sh/") ? get(r.inputs, "namespace") : undefined))
    .filter((n): n is string => typeof n === "string");
  return [...new Set(found)].sort();
}

/** The `app.kubernetes.io/component` label the component's own objects carry, when they share one. */
function componentLabelOf(plan: Plan, component: string): string | undefined {
  const labels = new Set(
    plan.resources
      .filter((r) => componentClass(r) === component && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/"))
      .map((r) => get(get(get(r.inputs, "metadata"), "labels"), "app.kubernetes.io/component"))
      .filter((label): label is string => typeof label === "string"),
  );
  return labels.size === 1 ? [...labels][0] : undefined;
}

/** The monitoring key of the databases' dashboard and alerts (`mlp-databases`). */
const DATABASE_KEY = "databases";

const LIFECYCLE: Record<string, string> = { local: "experimental", dev: "experimental", staging: "production", prod: "production" };

/** The entities of a stack, in a stable order: System, Groups, Components, API, Resources. */
export function buildCatalog(input: CatalogInput): Entity[] {
  const { stack, config, plan, docsUrl } = input;
  const namespace = stack;
  const ref = (kind: string, name: string) => `${kind}:${namespace}/${name}`;
  const owner = input.owner ?? ref("group", PLATFORM_TEAM);
  const lifecycle = LIFECYCLE[config.environment] ?? "experimental";
  const system = ref("system", SYSTEM);
  const stackAnnotations = { "mlops-platform.io/stack": stack, "mlops-platform.io/environment": config.environment };
  const running = new Set(plan.resources.map(componentClass));
  const dashboards = dashboardsOf(plan);
  const alerts = alertsOf(plan);
  const pools = plan.resources.filter((r) => r.type === "mlops-platform:index:GpuNodePool").map((r) => r.name.replace(/^mlops-gpu-/, ""));
  const hasDatabase = running.has("PostgresCluster");

  // An alert's runbook_url may be a path in the repository; the portal needs a URL.
  const absolute = (url: string): string => (/^[a-z][a-z0-9+.-]*:/i.test(url) ? url : join(docsUrl, url.replace(/^\.?\//, "")));
  const dashboardLinks = (keys: string[]): EntityLink[] => {
    const mine = dashboards.filter((d) => keys.includes(d.key));
    if (input.grafanaUrl) return mine.map((d) => ({ url: join(input.grafanaUrl!, `d/${d.uid}`), title: `Dashboard: ${d.title}`, icon: "dashboard", type: "dashboard" }));
    return mine.length > 0 ? [{ url: join(docsUrl, "docs/monitoring.md#dashboards"), title: `Dashboards: ${mine.map((d) => d.title).join(", ")}`, icon: "dashboard", type: "dashboard" }] : [];
  };
  const runbookLinks = (keys: string[]): EntityLink[] =>
    alerts
      .filter((a) => keys.includes(a.key))
      .map((a) => ({ url: absolute(a.runbookUrl ?? `docs/runbooks.md#${headingAnchor(a.alert)}`), title: `Runbook: ${a.alert}`, icon: "help", type: "runbook" }));
  const docLinks = (docs: Capability["docs"]): EntityLink[] => docs.map((d) => ({ url: join(docsUrl, d.path), title: d.title, icon: "docs", type: "docs" }));

  const entities: Entity[] = [];
  const claimed = new Set([...CAPABILITIES.filter((c) => running.has(c.component)).flatMap((c) => c.monitoring), ...(hasDatabase ? [DATABASE_KEY] : [])]);
  const unclaimed = [...new Set([...dashboards, ...alerts].map((x) => x.key))].filter((key) => !claimed.has(key));
  entities.push({
    apiVersion: API_VERSION,
    kind: "System",
    metadata: {
      name: SYSTEM,
      namespace,
      title: `ML platform (${stack})`,
      description: `The machine-learning platform of the ${stack} stack on ${config.cluster.provider}: notebooks, training, the AI gateway, GPU pools and monitoring, declared with Pulumi (stacks/Pulumi.${stack}.yaml).`,
      tags: ["mlops", "kubernetes", "pulumi", config.cluster.provider],
      annotations: stackAnnotations,
      links: [
        ...docLinks([
          { path: "README.md", title: "README" },
          { path: "docs/architecture.md", title: "Architecture" },
          { path: "docs/delivery.md", title: "Delivery: previews, deployments, the library" },
          { path: "docs/runbooks.md", title: "Runbooks" },
          { path: `stacks/Pulumi.${stack}.yaml`, title: `Stack file (${stack})` },
        ]),
        // Dashboards and alerts about no single capability (cost, the models) belong to the platform as a whole.
        ...dashboardLinks(unclaimed),
        ...runbookLinks(unclaimed),
      ],
    },
    spec: { owner },
  });

  if (!input.owner) {
    entities.push({
      apiVersion: API_VERSION,
      kind: "Group",
      metadata: { name: PLATFORM_TEAM, namespace, title: "Platform team", description: "Runs the ML platform (replace with the company's own group: npm run catalog -- --owner group:<namespace>/<name>)." },
      spec: { type: "team", children: [] },
    });
  }
  for (const team of config.teams) {
    entities.push({
      apiVersion: API_VERSION,
      kind: "Group",
      metadata: {
        name: team.name,
        namespace,
        title: `Team ${team.name}`,
        description: `A team on the ML platform. Owners (identity-provider groups bound to its namespace's owner role): ${team.owners.join(", ")}.${team.members?.length ? ` Members: ${team.members.join(", ")}.` : ""}`,
        annotations: { ...stackAnnotations, "mlops-platform.io/owner-groups": team.owners.join(","), ...(team.members?.length ? { "mlops-platform.io/member-groups": team.members.join(",") } : {}) },
      },
      spec: { type: "team", children: [] },
    });
  }

  const emitted = new Set<string>([system, owner]);
  const components: Entity[] = [];
  for (const capability of CAPABILITIES.filter((c) => running.has(c.component))) {
    const namespaces = namespacesOf(plan, capability.component);
    const label = componentLabelOf(plan, capability.component);
    components.push({
      apiVersion: API_VERSION,
      kind: "Component",
      metadata: {
        name: capability.name,
        namespace,
        title: capability.title,
        description: capability.description,
        tags: ["mlops", "platform"],
        annotations: {
          ...stackAnnotations,
          ...(namespaces.length === 1 ? { "backstage.io/kubernetes-namespace": namespaces[0]! } : {}),
          ...(label ? { "backstage.io/kubernetes-label-selector": `app.kubernetes.io/managed-by=mlops-platform,app.kubernetes.io/component=${label}` } : {}),
          ...(namespaces.length > 0 ? { "mlops-platform.io/namespaces": namespaces.join(",") } : {}),
        },
        links: [...dashboardLinks(capability.monitoring), ...runbookLinks(capability.monitoring), ...docLinks(capability.docs)],
      },
      spec: {
        type: "service",
        lifecycle,
        owner,
        system,
        dependsOn: capability.dependsOn.flatMap((dep) => (dep === "resource:gpu-pool-*" ? pools.map((pool) => ref("resource", `gpu-pool-${pool}`)) : [ref(dep.split(":")[0]!, dep.split(":")[1]!)])),
        ...(capability.name === "ai-gateway" ? { providesApis: [ref("api", "ai-gateway")] } : {}),
      },
    });
    emitted.add(ref("component", capability.name));
  }

  const resources: Entity[] = [];
  for (const team of config.teams) {
    const teamNamespace = (get(input.outputs["teamNamespaces"], team.name) as string | undefined) ?? `team-${team.name}`;
    resources.push({
      apiVersion: API_VERSION,
      kind: "Resource",
      metadata: {
        name: `team-${team.name}`,
        namespace,
        title: `Namespace ${teamNamespace}`,
        description: `Team ${team.name}'s namespace: quota ${team.quota.cpu} CPU, ${team.quota.memoryGiB} GiB memory, ${team.quota.gpus ?? 0} GPUs, ${team.quota.storageGiB} GiB storage; its notebooks, training jobs and model servers run here.`,
        annotations: { ...stackAnnotations, "backstage.io/kubernetes-namespace": teamNamespace },
      },
      spec: { type: "kubernetes-namespace", owner: ref("group", team.name), system, dependsOn: [ref("component", "cluster-base")] },
    });
  }
  const poolCost = new Map(((get(plan, "cost") as { pools?: Array<{ pool: string; gpu: string; maxMonthlyUsd: number }> } | undefined)?.pools ?? []).map((p) => [p.pool, p]));
  for (const pool of pools) {
    const cost = poolCost.get(pool);
    resources.push({
      apiVersion: API_VERSION,
      kind: "Resource",
      metadata: {
        name: `gpu-pool-${pool}`,
        namespace,
        title: `GPU pool ${pool}`,
        description: `GPU nodes on ${config.cluster.provider}${cost ? ` (${cost.gpu}, at most ${formatUsd(cost.maxMonthlyUsd)} a month at its maximum)` : ""}, started when workloads ask for them.`,
        annotations: { ...stackAnnotations, ...(cost ? { "mlops-platform.io/gpu": cost.gpu, "mlops-platform.io/max-monthly-cost-usd": cost.maxMonthlyUsd.toFixed(2) } : {}) },
        links: docLinks([{ path: "README.md#gpu-pools-and-what-they-cost", title: "GPU pools and what they cost" }]),
      },
      spec: { type: "gpu-node-pool", owner, system },
    });
  }
  // One Resource per database the stack runs, each in its namespace; the databases' dashboard and alerts are both's.
  const databases = [
    {
      name: "gateway-database",
      title: "Gateway database",
      description: "The AI gateway's PostgreSQL (CloudNativePG): teams, keys, budgets and spend; backed up with WAL archiving outside local.",
      present: plan.resources.some((r) => r.type === "mlops-platform:index:PostgresCluster" && r.name.endsWith("-gateway-db")),
      namespace: "mlp-gateway",
    },
    {
      name: "catalog-database",
      title: "Catalog database",
      description: "The data catalog's PostgreSQL (CloudNativePG): datasets, owners and sensitivity; WAL archived and backed up daily outside local, protected from staging on, restorable to a point in time.",
      present: running.has("CatalogDatabase"),
      namespace: "mlp-catalog",
    },
  ];
  for (const database of databases.filter((d) => d.present)) {
    resources.push({
      apiVersion: API_VERSION,
      kind: "Resource",
      metadata: {
        name: database.name,
        namespace,
        title: database.title,
        description: database.description,
        annotations: { ...stackAnnotations, "backstage.io/kubernetes-namespace": database.namespace },
        links: [...dashboardLinks([DATABASE_KEY]), ...runbookLinks([DATABASE_KEY]), ...docLinks([{ path: "README.md#backups-and-restoring-to-a-point-in-time", title: "Backups and restoring to a point in time" }])],
      },
      spec: { type: "database", owner, system, dependsOn: running.has("CloudNativePgOperator") ? [ref("component", "cloudnative-pg")] : [] },
    });
  }
  for (const r of resources) emitted.add(ref("resource", r.metadata.name));

  const apis: Entity[] = [];
  if (running.has("AiGateway")) {
    apis.push({
      apiVersion: API_VERSION,
      kind: "API",
      metadata: {
        name: "ai-gateway",
        namespace,
        title: "AI gateway API",
        description: "OpenAI-compatible chat, embeddings and models endpoints for every model the platform offers; each team calls it with its own key.",
        annotations: stackAnnotations,
        links: docLinks([{ path: "README.md#ai-gateway-one-door-to-every-llm-provider", title: "Calling the gateway" }]),
      },
      spec: { type: "openapi", lifecycle, owner, system, definition: gatewayOpenApi(stack, config, input.outputs["gatewayUrl"]) },
    });
    emitted.add(ref("api", "ai-gateway"));
  }

  // A dependency on something this stack does not run (a GPU operator without pools, a database without its
  // operator) is left out rather than dangling.
  for (const entity of [...components, ...resources]) {
    const spec = entity.spec as { dependsOn?: string[] };
    if (spec.dependsOn) spec.dependsOn = spec.dependsOn.filter((dep) => emitted.has(dep));
  }
  return [...entities, ...components, ...apis, ...resources];
}

/** The gateway's OpenAPI definition: its OpenAI-compatible endpoints, the models, and where it answers. */
function gatewayOpenApi(stack: string, config: PlatformConfig, url: unknown): string {
  const models = (config.gateway.models ?? []).map((m: { name: string }) => m.name);
  const operation = (summary: string) => ({ summary, responses: { "200": { description: "As the OpenAI API answers it." }, "401": { description: "No key, or not a key of this gateway." }, "429": { description: "Over the team's rate limit or budget." } } });
  return stringify({
    openapi: "3.0.3",
    info: {
      title: `AI gateway (${stack})`,
      version: "v1",
      description: `LiteLLM's OpenAI-compatible API. Models: ${models.join(", ") || "none"}. A team's workloads find their key in the Secret ai-gateway-key of their namespace.`,
    },
    // The paths carry the version (/v1/...), as OpenAI's clients call them; the output URL ends with it.
    servers: typeof url === "string" ? [{ url: url.replace(/\/v1\/?$/, ""), description: "In the cluster" }] : [],
    security: [{ teamKey: [] }],
    paths: {
      "/v1/chat/completions": { post: operation("A chat completion from one of the models") },
      "/v1/embeddings": { post: operation("Embeddings from one of the models") },
      "/v1/models": { get: operation("The models the caller's key may use") },
    },
    components: { securitySchemes: { teamKey: { type: "http", scheme: "bearer", description: "The team's gateway key." } } },
  });
}

const POLICY = EntityPolicies.allOf([new DefaultNamespaceEntityPolicy(), new NoForeignRootFieldsEntityPolicy(), new FieldFormatEntityPolicy(), new SchemaValidEntityPolicy()]);
const KIND_VALIDATORS = [systemEntityV1alpha1Validator, componentEntityV1alpha1Validator, apiEntityV1alpha1Validator, resourceEntityV1alpha1Validator, groupEntityV1alpha1Validator];

/**
 * Every problem of the entities, one line each: Backstage's own checks (the policies its catalog applies
 * to every entity, then the schema of the entity's kind), and relations that name no entity of the export
 * (nor an external owner in `external`).
 */
export async function validateEntities(entities: readonly Entity[], external: readonly string[] = []): Promise<string[]> {
  const problems: string[] = [];
  const refs = new Set([...entities.map((e) => stringifyEntityRef(e)), ...external]);
  for (const entity of entities) {
    const where = `${entity.kind}:${entity.metadata?.namespace ?? "default"}/${entity.metadata?.name}`;
    try {
      const enforced = await POLICY.enforce(structuredClone(entity));
      if (!enforced) throw new Error("refused by the entity policies");
      const results = await Promise.all(KIND_VALIDATORS.map((validator) => validator.check(enforced)));
      if (!results.some(Boolean)) problems.push(`${where}: no validator knows kind ${entity.kind} of ${entity.apiVersion}`);
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
      continue;
    }
    const spec = (entity.spec ?? {}) as Record<string, unknown>;
    const related = [spec["owner"], spec["system"], ...((spec["dependsOn"] as string[] | undefined) ?? []), ...((spec["providesApis"] as string[] | undefined) ?? [])];
    for (const target of related.filter((r): r is string => typeof r === "string")) {
      const full = stringifyEntityRef(parseEntityRef(target, { defaultNamespace: entity.metadata.namespace ?? "default" }));
      if (!refs.has(full)) problems.push(`${where}: ${target} names no entity of this export`);
    }
  }
  return problems;
}

/** The entities as one multi-document catalog-info.yaml. */
export function toCatalogYaml(entities: readonly Entity[], header: string): string {
  return `# ${header}\n${entities.map((e) => `---\n${stringify(e, { lineWidth: 0 })}`).join("")}`;
}

/** Where the repository's files are on the web: --docs-url, else the CI run's repository, else git's origin. */
export function docsUrlFor(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env["GITHUB_SERVER_URL"] && env["GITHUB_REPOSITORY"]) return `${env["GITHUB_SERVER_URL"]}/${env["GITHUB_REPOSITORY"]}/blob/${env["GITHUB_SHA"] ?? "main"}`;
  try {
    const origin = execFileSync("git", ["remote", "get-url", "origin"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const match = /^(?:https:\/\/|git@)([^/:]+)[/:](.+?)(?:\.git)?$/.exec(origin);
    return match ? `https://${match[1]}/${match[2]}/blob/main` : undefined;
  } catch {
    return undefined;
  }
}

export interface CatalogOptions {
  stack: string;
  docsUrl?: string;
  grafanaUrl?: string;
  owner?: string;
  /** @default "out/catalog/<stack>/catalog-info.yaml" */
  out?: string;
  cwd?: string;
}

/** Renders the stack offline, builds and validates its entities, and writes them; never throws for user errors. */
export async function exportCatalog(options: CatalogOptions): Promise<{ exitCode: number; report: string; entities?: Entity[]; file?: string }> {
  const cwd = options.cwd ?? process.cwd();
  const project = findProject(cwd);
  const docsUrl = options.docsUrl ?? docsUrlFor(project.root);
  if (!docsUrl) {
    return { exitCode: 2, report: "no --docs-url, and neither a GitHub Actions run nor a git remote origin tells where the repository's docs are: pass --docs-url https://<host>/<org>/<repo>/blob/<branch>" };
  }
  const outcome = await renderStack({ stack: options.stack, check: true, cwd });
  if (!outcome.artifacts || !outcome.capture) return { exitCode: outcome.exitCode || 1, report: outcome.report };
  const offline = loadOfflineStack(project, options.stack);
  const secretKeys = new Set(offline.secretKeys.map((key) => key.slice(key.indexOf(":") + 1)));
  const config = parsePlatformConfig(rawPlatformConfig(offline.config), stackFileFor(options.stack), secretKeys);
  const entities = buildCatalog({
    stack: options.stack,
    config,
    plan: outcome.artifacts.plan,
    outputs: outcome.capture.outputs,
    docsUrl,
    ...(options.grafanaUrl ? { grafanaUrl: options.grafanaUrl } : {}),
    ...(options.owner ? { owner: options.owner } : {}),
  });
  const problems = await validateEntities(entities, options.owner ? [stringifyEntityRef(parseEntityRef(options.owner, { defaultNamespace: options.stack }))] : []);
  if (problems.length > 0) return { exitCode: 1, report: [`the catalog of stack "${options.stack}" is not valid for Backstage:`, ...problems].join("\n"), entities };
  const file = path.resolve(cwd, options.out ?? path.join(project.root, "out", "catalog", options.stack, "catalog-info.yaml"));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, toCatalogYaml(entities, `Backstage catalog of the ML platform's ${options.stack} stack: npm run catalog -- --stack ${options.stack} (generated; do not edit).`));
  const counts = new Map<string, number>();
  for (const e of entities) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const summary = [...counts].map(([kind, n]) => `${n} ${kind}`).join(", ");
  return { exitCode: 0, report: `${summary}, valid for Backstage (@backstage/catalog-model); wrote ${path.relative(cwd, file)}`, entities, file };
}

const USAGE = "usage: npm run catalog -- --stack <env> [--docs-url <url>] [--grafana-url <url>] [--owner <group ref>] [--out <file>]";

export function parseArgs(argv: readonly string[]): CatalogOptions | string {
  const options: Partial<CatalogOptions> = {};
  const flags: Record<string, keyof CatalogOptions> = { "--stack": "stack", "--docs-url": "docsUrl", "--grafana-url": "grafanaUrl", "--owner": "owner", "--out": "out" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--help" || flag === "-h") return USAGE;
    const key = flags[flag];
    if (!key) return `unknown argument "${arg}"\n${USAGE}`;
    const value = inline ?? argv[++i];
    if (value === undefined) return `${flag} needs a value\n${USAGE}`;
    options[key] = value;
  }
  if (!options.stack) return `missing --stack\n${USAGE}`;
  return options as CatalogOptions;
}

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2));
  if (typeof parsed === "string") {
    (parsed === USAGE ? console.log : console.error)(parsed);
    process.exit(parsed === USAGE ? 0 : 2);
  }
  const { exitCode, report } = await exportCatalog(parsed);
  (exitCode === 0 ? console.log : console.error)(report);
  process.exit(exitCode);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  void main();
}
