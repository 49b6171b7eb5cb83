import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { DEFAULT_NOTEBOOK_IMAGES, DEFAULT_NOTEBOOK_SIZES, notebookFor, trainJob } from "@mlops-platform/components";
import { postgresClusterManifest, validateNotebook } from "@mlops-platform/components/internal";
import {
  crdSchema,
  crdSchemaKeys,
  crdSchemaSources,
  crdValidator,
  crdValidators,
  PLATFORM_VALIDATORS,
  validateManifests,
  type Manifest,
} from "@mlops-platform/components/testing";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const GENERATOR = path.join(ROOT, "scripts/generate-crd-schemas.mjs");
const COMMITTED = path.join(ROOT, "components/src/testing/crd-schemas");
const CRD_DIR = path.resolve(ROOT, "../shared/schemas/crds");
const haveCrds = fs.existsSync(CRD_DIR);
if (!haveCrds && !process.env["CI"]) {
  console.warn(`\n  NOTICE: skipping the check that the committed CRD schemas are up to date: ${CRD_DIR} does not exist\n`);
}

// Plain JSON copies: what a validator sees after YAML parsing or rendering.
const json = (value: unknown): Record<string, any> => JSON.parse(JSON.stringify(value)) as Record<string, any>;

/** A manifest as the render kit hands it to `validateManifests`. */
function manifest(object: Record<string, any>): Manifest {
  const name = object["metadata"]?.name ?? "unnamed";
  return {
    apiVersion: object["apiVersion"],
    kind: object["kind"],
    name,
    namespace: object["metadata"]?.namespace,
    object,
    unmasked: object,
    urn: `urn:pulumi:test::test::kubernetes:x::${name}`,
    resource: `kubernetes:x::${name}`,
    path: `x/${name}.yaml`,
    patch: false,
  };
}

/** What the render kit reports for one object, with no validators registered: the generated schemas alone. */
async function renderProblems(object: Record<string, any>): Promise<string[]> {
  return (await validateManifests([manifest(object)])).map((problem) => problem.message);
}

/** Every keyword used anywhere in a schema (property names are names, not keywords). */
function keywordsOf(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((item) => keywordsOf(item, found));
  else if (typeof schema === "object" && schema !== null) {
    for (const [keyword, value] of Object.entries(schema)) {
      found.add(keyword);
      if (keyword === "properties") Object.values(value as object).forEach((property) => keywordsOf(property, found));
      else keywordsOf(value, found);
    }
  }
  return found;
}

function generate(outDir: string): void {
  execFileSync(process.execPath, [GENERATOR, CRD_DIR, "--out", outDir], { stdio: "pipe" });
}

function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((file) => [file, fs.readFileSync(path.join(dir, file), "utf8")]),
  );
}

describe("scripts/generate-crd-schemas.mjs", () => {
  it.skipIf(!haveCrds && !process.env["CI"])("regenerates exactly the committed schemas, index and README table, twice over", () => {
    if (!haveCrds) throw new Error(`CI needs the upstream CRDs in ${CRD_DIR} to prove the committed schemas are up to date`);
    const first = fs.mkdtempSync(path.join(os.tmpdir(), "crd-schemas-"));
    const second = fs.mkdtempSync(path.join(os.tmpdir(), "crd-schemas-"));
    try {
      generate(first);
      generate(second);
      const committed = filesOf(COMMITTED);
      expect(filesOf(first)).toEqual(filesOf(second));
      expect(Object.keys(filesOf(first))).toEqual(Object.keys(committed));
      for (const [file, text] of Object.entries(filesOf(first))) expect(text, `${file} is stale: run node scripts/generate-crd-schemas.mjs`).toBe(committed[file]);
    } finally {
      fs.rmSync(first, { recursive: true, force: true });
      fs.rmSync(second, { recursive: true, force: true });
    }
  });

  it.skipIf(!haveCrds && !process.env["CI"])("fails on a CRD file SOURCES.md does not describe, instead of committing a schema of unknown origin", () => {
    if (!haveCrds) throw new Error(`CI needs the upstream CRDs in ${CRD_DIR}`);
    const input = fs.mkdtempSync(path.join(os.tmpdir(), "crds-"));
    try {
      fs.copyFileSync(path.join(CRD_DIR, "karpenter.sh_nodepools.yaml"), path.join(input, "karpenter.sh_nodepools.yaml"));
      fs.writeFileSync(path.join(input, "SOURCES.md"), "| File | Repository |\n| --- | --- |\n");
      expect(() => execFileSync(process.execPath, [GENERATOR, input, "--out", path.join(input, "out")], { stdio: "pipe" })).toThrow(
        /karpenter\.sh_nodepools\.yaml has no row in SOURCES\.md/,
      );
    } finally {
      fs.rmSync(input, { recursive: true, force: true });
    }
  });
});

describe("the committed CRD schemas", () => {
  it("cover every custom kind the platform renders, in the versions it renders", () => {
    expect(crdSchemaKeys()).toEqual(
      expect.arrayContaining([
        "karpenter.sh/v1/NodePool",
        "karpenter.k8s.aws/v1/EC2NodeClass",
        "karpenter.azure.com/v1beta1/AKSNodeClass",
        "monitoring.coreos.com/v1/PodMonitor",
        "monitoring.coreos.com/v1/ServiceMonitor",
        "monitoring.coreos.com/v1/PrometheusRule",
        "gateway.networking.k8s.io/v1/HTTPRoute",
        "kubeflow.org/v1/Notebook",
        "kubeflow.org/v1alpha1/PodDefault",
        "trainer.kubeflow.org/v1alpha1/TrainJob",
        "trainer.kubeflow.org/v1alpha1/ClusterTrainingRuntime",
        "trainer.kubeflow.org/v1alpha1/TrainingRuntime",
        "kueue.x-k8s.io/v1beta2/ClusterQueue",
        "kueue.x-k8s.io/v1beta2/LocalQueue",
        "kueue.x-k8s.io/v1beta2/ResourceFlavor",
        "kueue.x-k8s.io/v1beta2/WorkloadPriorityClass",
        "postgresql.cnpg.io/v1/Cluster",
        "postgresql.cnpg.io/v1/ScheduledBackup",
        "barmancloud.cnpg.io/v1/ObjectStore",
      ]),
    );
  });

  it("leave GKE's ComputeClass, which has no published CRD, to its kubernetes-models model", () => {
    expect(crdSchemaKeys().filter((key) => key.startsWith("cloud.google.com/"))).toEqual([]);
    expect(PLATFORM_VALIDATORS["cloud.google.com/v1/ComputeClass"]).toBeTypeOf("function");
  });

  it("record each CRD's upstream source, version and licence", () => {
    const sources = crdSchemaSources();
    expect(sources.length).toBeGreaterThanOrEqual(28);
    for (const crd of sources) {
      expect(crd.licence, crd.kind).toBe("Apache-2.0");
      expect(crd.source.url, crd.kind).toMatch(new RegExp(`^https://github\\.com/${crd.source.repository}/blob/${crd.source.ref}/`));
      expect(crd.source.blob, crd.kind).toMatch(/^[0-9a-f]{40}$/);
      expect(Object.values(crd.versions).filter((version) => version.storage), crd.kind).toHaveLength(1);
    }
  });

  it("are valid JSON Schemas with no description left, and every one compiles", () => {
    const meta = new Ajv({ strict: false });
    for (const key of crdSchemaKeys()) {
      const schema = crdSchema(key.slice(0, key.lastIndexOf("/")), key.slice(key.lastIndexOf("/") + 1))!;
      expect(meta.validateSchema(schema), `${key}: ${JSON.stringify(meta.errors)}`).toBe(true);
      expect(keywordsOf(schema), key).not.toContain("description");
    }
    // Compiling happens on first use; an empty object only has to produce problems, not throw.
    for (const [key, validate] of Object.entries(crdValidators())) expect(validate({}), key).not.toEqual([]);
  });
});

const notebook = () =>
  json(
    notebookFor({
      name: "explore",
      namespace: "team-vision",
      image: DEFAULT_NOTEBOOK_IMAGES.find((i) => i.name === "jupyter-scipy")!,
      size: DEFAULT_NOTEBOOK_SIZES.find((s) => s.name === "small")!,
      workspaceGiB: 5,
    }).notebook,
  );
const job = () =>
  json(
    trainJob({
      name: "bert",
      namespace: "team-nlp",
      runtime: "torch-distributed-gpu-a10g",
      image: "ghcr.io/acme/bert:2.0.1",
      numNodes: 2,
      gpusPerNode: 1,
      cpuPerNode: 4,
      memoryGiBPerNode: 16,
    }),
  );
const nodePool = () =>
  json({
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: "gpu-l4", labels: { "app.kubernetes.io/component": "gpu" } },
    spec: {
      disruption: { budgets: [{ nodes: "1" }], consolidateAfter: "30m", consolidationPolicy: "WhenEmpty" },
      limits: { "nvidia.com/gpu": "16" },
      template: {
        metadata: { labels: { "mlops-platform.io/gpu-pool": "l4" } },
        spec: {
          expireAfter: "720h",
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "gpu-l4" },
          requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: ["g6.xlarge"] }],
          taints: [{ effect: "NoSchedule", key: "nvidia.com/gpu", value: "present" }],
        },
      },
    },
  });
const cluster = () =>
  json(
    postgresClusterManifest({
      name: "gateway-db",
      namespace: "mlp-gateway",
      labels: { "app.kubernetes.io/component": "database" },
      instances: 3,
      imageName: "ghcr.io/cloudnative-pg/postgresql:18.4-standard-trixie",
      storageSize: "10Gi",
      database: "litellm",
      owner: "app",
      ownerSecretName: "gateway-db-app-user",
      resources: { requests: { cpu: "250m", memory: "1024Mi" }, limits: { cpu: "1", memory: "1024Mi" } },
      objectStoreName: "gateway-db-backups",
    }),
  );
const serviceMonitor = () =>
  json({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: "ai-gateway", namespace: "mlp-gateway" },
    spec: { endpoints: [{ interval: "30s", path: "/metrics", port: "http" }], selector: { matchLabels: { "app.kubernetes.io/component": "gateway" } } },
  });

describe("the render kit checks custom resources against their CRDs", () => {
  it.each([
    ["Notebook", notebook],
    ["TrainJob", job],
    ["NodePool", nodePool],
    ["Cluster", cluster],
    ["ServiceMonitor", serviceMonitor],
  ])("accepts a valid %s", async (_kind, object) => {
    expect(await renderProblems(object())).toEqual([]);
  });

  it.each<[string, () => Record<string, any>, (o: Record<string, any>) => void, string]>([
    ["Notebook: an unknown pod field", notebook, (o) => (o["spec"].template.spec.nodeSelectors = {}), 'Notebook "explore": spec.template.spec.nodeSelectors is not a field of Notebook'],
    ["Notebook: a wrong type", notebook, (o) => (o["spec"].template.spec.securityContext.runAsUser = "1000"), 'Notebook "explore": spec.template.spec.securityContext.runAsUser must be integer (got "1000")'],
    ["TrainJob: an unknown key in spec", job, (o) => (o["spec"].tolerations = []), 'TrainJob "bert": spec.tolerations is not a field of TrainJob'],
    ["TrainJob: numProcPerNode \"auto\" (an integer since Trainer v2.2)", job, (o) => (o["spec"].trainer.numProcPerNode = "auto"), 'TrainJob "bert": spec.trainer.numProcPerNode must be integer (got "auto")'],
    ["TrainJob: a bad quantity", job, (o) => (o["spec"].trainer.resourcesPerNode.limits.memory = "16 GB"), 'TrainJob "bert": spec.trainer.resourcesPerNode.limits.memory must be a quantity such as "4", "500m" or "16Gi" (got "16 GB")'],
    ["NodePool: an unknown key in spec", nodePool, (o) => (o["spec"].weigth = 10), 'NodePool "gpu-l4": spec.weigth is not a field of NodePool'],
    ["NodePool: a wrong enum value", nodePool, (o) => (o["spec"].disruption.consolidationPolicy = "WhenIdle"), 'NodePool "gpu-l4": spec.disruption.consolidationPolicy must be one of WhenEmpty, WhenEmptyOrUnderutilized, Balanced (got "WhenIdle")'],
    ["NodePool: a wrong type", nodePool, (o) => (o["spec"].limits["nvidia.com/gpu"] = 1.5), 'NodePool "gpu-l4": spec.limits["nvidia.com/gpu"] must be integer or string (got 1.5)'],
    ["Cluster: an unknown key in spec", cluster, (o) => (o["spec"].instance = 3), 'Cluster "gateway-db": spec.instance is not a field of Cluster'],
    ["Cluster: a wrong enum value", cluster, (o) => (o["spec"].primaryUpdateStrategy = "manual"), 'Cluster "gateway-db": spec.primaryUpdateStrategy must be one of unsupervised, supervised (got "manual")'],
    ["Cluster: a wrong type", cluster, (o) => (o["spec"].instances = "3"), 'Cluster "gateway-db": spec.instances must be integer (got "3")'],
    ["ServiceMonitor: an unknown key in an endpoint", serviceMonitor, (o) => (o["spec"].endpoints[0].scrapeInterval = "30s"), 'ServiceMonitor "ai-gateway": spec.endpoints[0].scrapeInterval is not a field of ServiceMonitor'],
    ["ServiceMonitor: a wrong enum value", serviceMonitor, (o) => (o["spec"].endpoints[0].scheme = "grpc"), 'ServiceMonitor "ai-gateway": spec.endpoints[0].scheme must be one of http, https, HTTP, HTTPS (got "grpc")'],
    ["ServiceMonitor: a wrong type", serviceMonitor, (o) => (o["spec"].endpoints[0].honorLabels = "yes"), 'ServiceMonitor "ai-gateway": spec.endpoints[0].honorLabels must be boolean (got "yes")'],
  ])("rejects %s", async (_case, object, drift, message) => {
    const drifted = object();
    drift(drifted);
    expect(await renderProblems(drifted)).toEqual([message]);
  });

  it("rejects a wrong enum value in a Notebook's pod template with the core PodSpec model (the CRD's copy has no enums)", () => {
    const drifted = notebook();
    drifted["spec"].template.spec.containers[0].imagePullPolicy = "Sometimes";
    expect(validateNotebook(drifted)).toEqual(["spec.template.spec: containers.0.imagePullPolicy must be equal to one of the allowed values"]);
  });

  it("checks a custom resource's metadata as the API server does", async () => {
    const bad = serviceMonitor();
    bad["metadata"] = { namespace: "MLP_Gateway", labels: { "bad key!": "x", team: "a".repeat(64) }, owner: "me" };
    expect(await renderProblems(bad)).toEqual([
      'ServiceMonitor "unnamed": metadata.name is required',
      'ServiceMonitor "unnamed": metadata.owner is not a field of ServiceMonitor',
      `ServiceMonitor "unnamed": metadata.namespace must be a DNS label (lowercase letters, digits and '-') (got "MLP_Gateway")`,
      'ServiceMonitor "unnamed": metadata.labels has a key that is not a qualified name: "bad key!"',
      "ServiceMonitor \"unnamed\": metadata.labels.team must be at most 63 characters (got 64)",
    ]);
  });

  it("reports a deprecated version with the version to use, and a kind without a schema as unchecked", async () => {
    expect(await renderProblems({ apiVersion: "kueue.x-k8s.io/v1beta1", kind: "ClusterQueue", metadata: { name: "q" }, spec: {} })).toEqual([
      'ClusterQueue "q": apiVersion kueue.x-k8s.io/v1beta1 of ClusterQueue is deprecated: use kueue.x-k8s.io/v1beta2',
    ]);
    expect(await renderProblems({ apiVersion: "karpenter.sh/v2", kind: "NodePool", metadata: { name: "p" }, spec: {} })).toEqual([
      "no schema for karpenter.sh/v2/NodePool: register a validator for it (ValidateOptions.validators)",
    ]);
  });

  it("applies the API server's structural rules: defaults, int-or-string, list maps, Go patterns", () => {
    const validate = crdValidator("karpenter.sh/v1", "NodePool")!;
    // budgets[].nodes is required but has a default ("10%"): the server fills it in before it validates.
    const defaulted = nodePool();
    defaulted["spec"].disruption.budgets = [{}];
    delete defaulted["spec"].limits;
    expect(validate(defaulted)).toEqual([]);
    // int-or-string: a whole number and a string both pass.
    const limits = nodePool();
    limits["spec"].limits = { cpu: 64, memory: "256Gi" };
    expect(validate(limits)).toEqual([]);
    // A list map (ports keyed by containerPort and protocol) with a repeated key.
    const runtime = crdValidator("trainer.kubeflow.org/v1alpha1", "ClusterTrainingRuntime")!;
    const pod = { containers: [{ name: "node", image: "i:1", ports: [{ containerPort: 80 }, { containerPort: 80 }] }] };
    const runtimeObject = {
      apiVersion: "trainer.kubeflow.org/v1alpha1",
      kind: "ClusterTrainingRuntime",
      metadata: { name: "r" },
      spec: { mlPolicy: { numNodes: 1 }, template: { spec: { replicatedJobs: [{ name: "node", template: { spec: { template: { spec: pod } } } }] } } },
    };
    expect(runtime(runtimeObject)).toEqual([
      "spec.template.spec.replicatedJobs[0].template.spec.template.spec.containers[0].ports: items 0 and 1 have the same containerPort and protocol",
    ]);
    // (?i) in PrometheusRule's partial_response_strategy pattern becomes a case-insensitive flag.
    const rules = crdValidator("monitoring.coreos.com/v1", "PrometheusRule")!;
    const rule = (strategy: string) =>
      rules({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "x", namespace: "a" }, spec: { groups: [{ name: "g", partial_response_strategy: strategy, rules: [] }] } });
    expect(rule("WARN")).toEqual([]);
    expect(rule("ignore")).toEqual(['spec.groups[0].partial_response_strategy must match ^(?i)(abort|warn)?$ (got "ignore")']);
  });
});
