import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { clusterRequirementsOf, ConfigError, closest, parsePlatformConfig, rawPlatformConfig, type PlatformConfig } from "../../infra/config.js";
import { platformArgsFrom } from "../../infra/platform-args.js";
import { findProject, loadOfflineStack } from "../../infra/stack-files.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const STACKS = ["local", "dev", "staging", "prod"];
const FILE = "stacks/Pulumi.test.yaml";

function loadStack(stack: string): PlatformConfig {
  const offline = loadOfflineStack(findProject(ROOT), stack);
  const secretKeys = new Set(offline.secretKeys.map((k) => k.replace(/^mlops-platform:/, "")));
  return parsePlatformConfig(rawPlatformConfig(offline.config), `stacks/Pulumi.${stack}.yaml`, secretKeys);
}

/** The problems parsePlatformConfig reports for `raw`; fails the test if it accepts it. */
function problemsOf(raw: Record<string, unknown>, secretKeys: string[] = []): string[] {
  try {
    parsePlatformConfig(raw, FILE, new Set(secretKeys));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("expected the config to be rejected");
}

const valid = (): Record<string, unknown> => ({
  environment: "dev",
  cluster: { provider: "aws" },
  teams: [{ name: "vision", owners: ["vision-leads"], quota: { cpu: 16, memoryGiB: 64, storageGiB: 500 } }],
});

describe("stack files", () => {
  it("includes a stack file for every environment", () => {
    const files = fs.readdirSync(path.join(ROOT, "stacks")).sort();
    expect(files).toEqual(STACKS.map((s) => `Pulumi.${s}.yaml`).sort());
  });

  it.each(STACKS)("stacks/Pulumi.%s.yaml parses and names its own environment", (stack) => {
    const config = loadStack(stack);
    expect(config.environment).toBe(stack);
  });

  it("local runs on kind; the cloud stacks do not", () => {
    expect(loadStack("local").cluster.provider).toBe("kind");
    for (const stack of ["dev", "staging", "prod"]) expect(loadStack(stack).cluster.provider).not.toBe("kind");
  });
});

describe("environment presets", () => {
  it("gives dev one replica and staging and prod two", () => {
    const replicas = (environment: string) =>
      parsePlatformConfig({ environment, cluster: { provider: "aws" } }, FILE).availability.replicas;
    expect([replicas("local"), replicas("dev"), replicas("staging"), replicas("prod")]).toEqual([1, 1, 2, 2]);
  });

  it("lets a stack value override the preset", () => {
    const config = parsePlatformConfig({ environment: "prod", cluster: { provider: "aws" }, availability: { replicas: 4 } }, FILE);
    expect(config.availability.replicas).toBe(4);
  });

  it("gives cert-manager the environment's replicas unless the stack sets its own", () => {
    const staging = platformArgsFrom(loadStack("staging"));
    expect(staging.clusterBase?.certManager?.replicas).toBe(2);
    const prod = platformArgsFrom(loadStack("prod"));
    expect(prod.clusterBase?.certManager?.replicas).toBe(3);
  });

  it("fills defaults for everything the stack leaves out", () => {
    const config = parsePlatformConfig({ environment: "dev", cluster: { provider: "gcp" } }, FILE);
    expect(config.cluster.certManager).toEqual({ namespace: "cert-manager" });
    expect(config.cluster.preinstalledOperators).toEqual([]);
    expect(config.cluster.priorityClasses).toEqual({ prefix: "mlp", servingValue: 100000, notebooksValue: 50000, trainingValue: 10000 });
    expect(config.teams).toEqual([]);
  });

  it("defaults a team's members to none and its GPU quota to zero", () => {
    const config = parsePlatformConfig(valid(), FILE);
    expect(config.teams[0]).toMatchObject({ members: [], quota: { gpus: 0 } });
  });
});

describe("bad stack files fail with messages that name the file, key, value and what is allowed", () => {
  const cases: Array<[string, (raw: Record<string, unknown>) => void, string[]]> = [
    [
      "wrong type",
      (raw) => ((raw["cluster"] as Record<string, unknown>)["context"] = 42),
      [`${FILE}: mlops-platform:cluster.context: expected a kubeconfig context name, got 42`],
    ],
    [
      "negative number",
      (raw) => ((raw["teams"] as Array<Record<string, Record<string, unknown>>>)[0]!["quota"]!["cpu"] = -1),
      [`${FILE}: mlops-platform:teams[0].quota.cpu: expected a positive number, got -1`],
    ],
    [
      "fractional GPU count",
      (raw) => ((raw["teams"] as Array<Record<string, Record<string, unknown>>>)[0]!["quota"]!["gpus"] = 1.5),
      [`${FILE}: mlops-platform:teams[0].quota.gpus: expected a whole number (0 or more), got 1.5`],
    ],
    [
      "unknown top-level key with a hint",
      (raw) => (raw["clustr"] = {}),
      [`${FILE}: mlops-platform:clustr: unknown key; did you mean "cluster"? allowed keys: environment, cluster, availability, gpu, notebooks, training, gateway, policies, teams`],
    ],
    [
      "unknown nested key with a hint",
      (raw) => ((raw["cluster"] as Record<string, unknown>)["ingresClass"] = "nginx"),
      [
        `${FILE}: mlops-platform:cluster.ingresClass: unknown key; did you mean "ingressClass"? allowed keys: provider, context, ingressClass, gatewayClass, preinstalledOperators, certManager, priorityClasses`,
      ],
    ],
    [
      "unknown key without a near match",
      (raw) => ((raw["teams"] as Array<Record<string, unknown>>)[0]!["slackChannel"] = "#vision"),
      [`${FILE}: mlops-platform:teams[0].slackChannel: unknown key; allowed keys: name, owners, members, quota, gateway, egressCidrs`],
    ],
    [
      "bad enum",
      (raw) => ((raw["cluster"] as Record<string, unknown>)["provider"] = "openstack"),
      [`${FILE}: mlops-platform:cluster.provider: expected one of "aws", "azure", "gcp", "kind", got "openstack"`],
    ],
    [
      "bad environment",
      (raw) => (raw["environment"] = "production"),
      [`${FILE}: mlops-platform:environment: expected one of "local", "dev", "staging", "prod", got "production"`],
    ],
    [
      "missing required key",
      (raw) => delete (raw["cluster"] as Record<string, unknown>)["provider"],
      [`${FILE}: mlops-platform:cluster.provider: required; expected one of "aws", "azure", "gcp", "kind"`],
    ],
    ["missing required section", (raw) => delete raw["cluster"], [`${FILE}: mlops-platform:cluster: required`]],
    [
      "duplicate team name",
      (raw) => (raw["teams"] as unknown[]).push({ name: "vision", owners: ["other"], quota: { cpu: 1, memoryGiB: 1, storageGiB: 1 } }),
      [`${FILE}: mlops-platform:teams[1].name: duplicate team name (also teams[0].name), got "vision"`],
    ],
    [
      "team name that is not a DNS label",
      (raw) => ((raw["teams"] as Array<Record<string, unknown>>)[0]!["name"] = "Vision_Team"),
      [
        `${FILE}: mlops-platform:teams[0].name: expected a team name: a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), got "Vision_Team"`,
      ],
    ],
    [
      "team without owners",
      (raw) => ((raw["teams"] as Array<Record<string, unknown>>)[0]!["owners"] = []),
      [`${FILE}: mlops-platform:teams[0].owners: expected at least one owner group, got []`],
    ],
    [
      "malformed egress CIDR",
      (raw) => ((raw["teams"] as Array<Record<string, unknown>>)[0]!["egressCidrs"] = ["10.0.0.0"]),
      [`${FILE}: mlops-platform:teams[0].egressCidrs[0]: expected a CIDR such as "10.20.0.0/16", got "10.0.0.0"`],
    ],
    [
      "list where a mapping belongs",
      (raw) => ((raw["cluster"] as Record<string, unknown>)["certManager"] = ["v1.20.2"]),
      [`${FILE}: mlops-platform:cluster.certManager: expected a mapping of keys to values, got ["v1.20.2"]`],
    ],
    [
      "unpinned chart version",
      (raw) => ((raw["cluster"] as Record<string, unknown>)["certManager"] = { version: "latest" }),
      [`${FILE}: mlops-platform:cluster.certManager.version: expected an exact version such as "v1.20.2" (no ranges, no "latest"), got "latest"`],
    ],
    [
      "priority above the user range",
      (raw) => ((raw["cluster"] as Record<string, unknown>)["priorityClasses"] = { servingValue: 2000000000 }),
      [`${FILE}: mlops-platform:cluster.priorityClasses.servingValue: expected a whole number from 0 to 1000000000, got 2000000000`],
    ],
    [
      "zero replicas",
      (raw) => (raw["availability"] = { replicas: 0 }),
      [`${FILE}: mlops-platform:availability.replicas: expected a positive integer, got 0`],
    ],
    [
      "boolean given as text",
      (raw) => (raw["training"] = { enabled: "yes" }),
      [`${FILE}: mlops-platform:training.enabled: expected true or false, got "yes"`],
    ],
  ];

  it.each(cases)("%s", (_name, mutate, expected) => {
    const raw = valid();
    mutate(raw);
    expect(problemsOf(raw)).toEqual(expected);
  });

  it("reports every problem of a file at once, not one per run", () => {
    const problems = problemsOf({
      environment: "prod",
      cluster: { provider: "openstack", contxt: "x" },
      availability: { replicas: -2 },
      teams: [{ name: "a", owners: ["g"], quota: { cpu: 0, memoryGiB: 1, storageGiB: 1 } }],
    });
    expect(problems).toHaveLength(4);
    expect(problems.every((p) => p.startsWith(`${FILE}: mlops-platform:`))).toBe(true);
  });

  it("refuses a kubeconfig stored in plain text, and accepts it as a secret", () => {
    const raw = { ...valid(), kubeconfig: "apiVersion: v1\nkind: Config" };
    expect(problemsOf(raw)).toEqual([
      `${FILE}: mlops-platform:kubeconfig: must be a secret (the contents of a kubeconfig file, for deploying from CI: pulumi config set --secret kubeconfig < kubeconfig.yaml); it is stored in plain text`,
    ]);
    const config = parsePlatformConfig(raw, FILE, new Set(["kubeconfig"]));
    expect(JSON.stringify(config)).not.toContain("apiVersion");
  });

  it("ConfigError's message lists every problem under the file name", () => {
    try {
      parsePlatformConfig({ environment: "dev", cluster: {} }, FILE);
      throw new Error("accepted");
    } catch (err) {
      expect((err as Error).message).toBe(
        `${FILE} has 1 configuration error:\n${FILE}: mlops-platform:cluster.provider: required; expected one of "aws", "azure", "gcp", "kind"`,
      );
    }
  });
});

describe("GPU pools in the stack file", () => {
  const withPools = (provider: string, pools: unknown[], extra: Record<string, unknown> = {}) => ({
    environment: "dev",
    cluster: { provider },
    gpu: { aws: { nodeRole: "r", discoveryTag: "t", amiAlias: "al2023@v20250915" }, pools, ...extra },
  });
  const l4 = { name: "l4", gpu: "nvidia-l4", maxGpus: 4 };

  it("fills pool defaults and the environment's budget", () => {
    const config = parsePlatformConfig(withPools("aws", [l4]), FILE);
    expect(config.gpu.pools[0]).toMatchObject({ gpusPerNode: 1, capacity: ["on-demand"], minNodes: 0, consolidateAfterMinutes: 30, expireAfterHours: 720 });
    expect(config.gpu.monthlyBudgetUsd).toBe(5000);
    // No ServiceMonitor setting: one is created exactly when the Prometheus Operator is there.
    expect(config.gpu.operator).toEqual({});
  });

  it.each([
    ["a pool on kind", withPools("kind", [l4]), [`${FILE}: mlops-platform:gpu.pools: expected no GPU pools: cluster.provider is "kind" (CPU only); remove them or deploy to aws, azure or gcp, got [{"name":"l4","gpu":"nvidia-l4","maxGpus":4}]`]],
    [
      "an unknown GPU name, listing the known ones",
      withPools("aws", [{ ...l4, gpu: "nvidia-b200" }]),
      [`${FILE}: mlops-platform:gpu.pools[0].gpu: expected one of "nvidia-t4", "nvidia-l4", "nvidia-a10g", "nvidia-l40s", "nvidia-a100", "nvidia-a100-80gb", "nvidia-h100", got "nvidia-b200"`],
    ],
    [
      "a GPU the provider does not offer",
      withPools("azure", [l4]),
      [`${FILE}: mlops-platform:gpu.pools[0].gpu: expected a GPU that azure offers: nvidia-t4, nvidia-a100, nvidia-a100-80gb, nvidia-h100, got "nvidia-l4"`],
    ],
    ["a node size that does not exist", withPools("aws", [{ ...l4, gpusPerNode: 2 }]), [`${FILE}: mlops-platform:gpu.pools[0].gpusPerNode: expected one of 1, 4, 8 (the nvidia-l4 node sizes on aws), got 2`]],
    ["a negative GPU cap", withPools("aws", [{ ...l4, maxGpus: -1 }]), [`${FILE}: mlops-platform:gpu.pools[0].maxGpus: expected a positive integer, got -1`]],
    ["MIG on an L4", withPools("aws", [{ ...l4, sharing: { mig: "all-1g.10gb" } }]), [`${FILE}: mlops-platform:gpu.pools[0].sharing.mig: expected MIG only on nvidia-a100, nvidia-a100-80gb, nvidia-h100, got "all-1g.10gb"`]],
    ["both kinds of sharing", withPools("aws", [{ name: "a100", gpu: "nvidia-a100", gpusPerNode: 8, maxGpus: 8, sharing: { mig: "all-1g.10gb", timeSlicingReplicas: 2 } }]), [`${FILE}: mlops-platform:gpu.pools[0].sharing: expected either timeSlicingReplicas or mig, not both, got {"mig":"all-1g.10gb","timeSlicingReplicas":2}`]],
    ["warm nodes above the GPU cap", withPools("aws", [{ ...l4, minNodes: 5 }]), [`${FILE}: mlops-platform:gpu.pools[0].maxGpus: expected maxGpus to allow at least minNodes × gpusPerNode GPUs, got 4`]],
    ["a pool name used twice", withPools("aws", [l4, l4]), [`${FILE}: mlops-platform:gpu.pools[1].name: duplicate pool name (also gpu.pools[0].name), got "l4"`]],
    ["AWS pools without node settings", { environment: "dev", cluster: { provider: "aws" }, gpu: { pools: [l4] } }, [`${FILE}: mlops-platform:gpu.aws: required; required for GPU pools on aws: nodeRole, discoveryTag, amiAlias`]],
    ["an unpinned AMI", withPools("aws", [l4], { aws: { nodeRole: "r", discoveryTag: "t", amiAlias: "al2023@latest" } }), [`${FILE}: mlops-platform:gpu.aws.amiAlias: expected a pinned EKS AMI alias such as "al2023@v20251108", got "al2023@latest"`]],
  ])("fails on %s", (_name, raw, expected) => {
    expect(problemsOf(raw as Record<string, unknown>)).toEqual(expected);
  });
});

describe("notebook access in the stack file", () => {
  const withAccess = (access: Record<string, unknown>, cluster: Record<string, unknown> = { provider: "aws" }) => ({
    environment: "prod",
    cluster,
    notebooks: { access: { enabled: true, ...access } },
  });

  it("lists everything access needs when it is enabled bare", () => {
    expect(problemsOf(withAccess({}))).toEqual([
      `${FILE}: mlops-platform:notebooks.access.host: required; required when access is enabled`,
      `${FILE}: mlops-platform:notebooks.access.oidc: required; required when access is enabled: issuerUrl, clientId`,
      `${FILE}: mlops-platform:notebooks.access.gateway: required; required when access is enabled and cluster.ingressClass is not set: expose through a Gateway or an IngressClass`,
    ]);
  });

  it("refuses a plain-http issuer", () => {
    const raw = withAccess({ host: "nb.example.com", oidc: { issuerUrl: "http://login.example.com", clientId: "x" } }, { provider: "aws", ingressClass: "nginx" });
    expect(problemsOf(raw, ["notebookOidcClientSecret"])).toEqual([
      `${FILE}: mlops-platform:notebooks.access.oidc.issuerUrl: expected the issuer's https:// URL, got "http://login.example.com"`,
    ]);
  });

  it("keeps the OIDC client secret out of the config and requires it as a secret", () => {
    const raw = { ...withAccess({ host: "nb.example.com", oidc: { issuerUrl: "https://login.example.com", clientId: "x" } }, { provider: "aws", ingressClass: "nginx" }), notebookOidcClientSecret: "s" };
    expect(problemsOf(raw)).toEqual([
      `${FILE}: mlops-platform:notebookOidcClientSecret: must be a secret (the OIDC client secret of notebook sign-in: pulumi config set --secret notebookOidcClientSecret <secret>); it is stored in plain text`,
    ]);
    expect(JSON.stringify(parsePlatformConfig(raw, FILE, new Set(["notebookOidcClientSecret"])))).not.toContain('"s"');
  });
});

describe("the AI gateway in the stack file", () => {
  const withGateway = (environment: string, gateway: Record<string, unknown>) => ({ environment, cluster: { provider: "aws" }, gateway });
  const model = { name: "chat", provider: "openai", model: "gpt-4.1-mini", apiKey: "openaiApiKey" };

  it("requires a backup destination for the gateway database outside local", () => {
    expect(problemsOf(withGateway("dev", { models: [model] }), ["openaiApiKey"]).filter((p) => !p.includes("openaiApiKey"))).toEqual([
      `${FILE}: mlops-platform:gateway.database.backup: required; required in dev: destinationPath and credentialsSecretName of the object store for base backups and WAL`,
    ]);
  });

  it("requires every provider key a model names, as a secret", () => {
    expect(problemsOf(withGateway("local", { models: [model] }))).toEqual([
      `${FILE}: mlops-platform:openaiApiKey: required: a gateway model's apiKey names it; set it with pulumi config set --secret openaiApiKey <provider key>`,
    ]);
    expect(problemsOf({ ...withGateway("local", { models: [model] }), openaiApiKey: "sk-plain" })).toEqual([
      `${FILE}: mlops-platform:openaiApiKey: must be a secret (a provider key for the AI gateway: pulumi config set --secret openaiApiKey <key>); it is stored in plain text`,
    ]);
  });

  it("reports an unknown provider at the model", () => {
    const raw = withGateway("local", { models: [{ ...model, apiKey: undefined }, { name: "x", provider: "grok", model: "y" }] });
    expect(problemsOf(raw)).toEqual([
      `${FILE}: mlops-platform:gateway.models[1].provider: expected one of "openai", "anthropic", "azure-openai", "bedrock", "vertex", "vllm", "ollama", got "grok"`,
    ]);
  });

  it("reports a fallback to a model the gateway does not serve", () => {
    const raw = withGateway("local", { models: [{ ...model, apiKey: undefined, fallbacks: ["nope"] }] });
    expect(problemsOf(raw)).toEqual([`${FILE}: mlops-platform:gateway.models[0].fallbacks: "nope" is not a model of this gateway, got ["nope"]`]);
  });

  it("refuses a team model the gateway does not serve", () => {
    const raw = {
      ...withGateway("local", { models: [{ ...model, apiKey: undefined }] }),
      teams: [{ name: "vision", owners: ["g"], quota: { cpu: 1, memoryGiB: 1, storageGiB: 1 }, gateway: { models: ["gpt-5"] } }],
    };
    expect(problemsOf(raw)).toEqual([`${FILE}: mlops-platform:teams[0].gateway.models[0]: expected one of the gateway's models: chat, got "gpt-5"`]);
  });

  it("sizes and protects the gateway database per environment", () => {
    const database = (environment: string) =>
      parsePlatformConfig(withGateway(environment, { models: [{ ...model, apiKey: undefined }], database: { backup: { destinationPath: "s3://b/p", credentialsSecretName: "creds" } } }), FILE).gateway.database;
    expect([database("dev").instances, database("staging").instances, database("prod").instances]).toEqual([1, 2, 3]);
    expect([database("dev").protect, database("prod").protect]).toEqual([false, true]);
  });
});

describe("did-you-mean hints", () => {
  it.each([
    ["clustr", ["cluster", "teams"], "cluster"],
    ["Teams", ["cluster", "teams"], "teams"],
    ["gpuPools", ["cluster", "teams"], undefined],
    ["gpu", ["cpu", "memoryGiB", "gpus", "storageGiB"], "gpus"],
  ])("suggests %s -> %s", (key, allowed, expected) => {
    expect(closest(key, allowed)).toBe(expected);
  });
});

describe("operators the cluster already runs, in the stack file", () => {
  const local = (extra: Record<string, unknown> = {}, cluster: Record<string, unknown> = {}) => ({
    environment: "local",
    cluster: { provider: "kind", ...cluster },
    gateway: { models: [{ name: "chat", provider: "ollama", model: "llama3.2:3b", apiBase: "http://ollama:11434" }] },
    ...extra,
  });

  it("lists the operators it knows when it does not know one", () => {
    expect(problemsOf(local({}, { preinstalledOperators: ["kueue", "prometheus"] }))).toEqual([
      `${FILE}: mlops-platform:cluster.preinstalledOperators[1]: expected one of "cert-manager", "prometheus-operator", "cloudnative-pg", "barman-cloud-plugin", "kueue", "kubeflow-trainer", "kubeflow-notebooks", "nvidia-gpu-operator", got "prometheus"`,
    ]);
  });

  it("reports a monitor asked for without the Prometheus Operator at the stack key, in the component's own words", () => {
    expect(problemsOf(local({ gateway: { ...local().gateway, serviceMonitor: true } }))).toEqual([
      `${FILE}: mlops-platform:gateway.serviceMonitor: monitors need the Prometheus Operator: declare "prometheus-operator" preinstalled, or leave this unset (monitors are then created exactly when the operator is there), got true`,
    ]);
    expect(() => parsePlatformConfig(local({ gateway: { ...local().gateway, serviceMonitor: true } }, { preinstalledOperators: ["prometheus-operator"] }), FILE)).not.toThrow();
  });

  it("maps a component's args path back to the stack key that set it", () => {
    const raw = {
      environment: "dev",
      cluster: { provider: "aws", preinstalledOperators: ["nvidia-gpu-operator"] },
      gpu: { aws: { nodeRole: "r", discoveryTag: "t", amiAlias: "al2023@v20250915" }, pools: [{ name: "l4", gpu: "nvidia-l4", maxGpus: 4, sharing: { timeSlicingReplicas: 4 } }] },
    };
    const [problem] = problemsOf(raw);
    expect(problem).toMatch(new RegExp(`^${FILE}: mlops-platform:gpu\\.pools\\[0\\]\\.sharing\\.timeSlicingReplicas: GPU sharing is configured in the GPU Operator's device plugin.*, got 4$`));
  });

  it("refuses the platform's own secrets in plain text, as it does provider keys", () => {
    expect(problemsOf({ ...local(), gatewayMasterKey: "sk-plain" })).toEqual([
      `${FILE}: mlops-platform:gatewayMasterKey: must be a secret (the gateway's master key (generated when unset): pulumi config set --secret gatewayMasterKey sk-<key>); it is stored in plain text`,
    ]);
    const config = parsePlatformConfig({ ...local(), gatewayMasterKey: "sk-secret", gatewayDatabasePassword: "pw" }, FILE, new Set(["gatewayMasterKey", "gatewayDatabasePassword"]));
    expect(JSON.stringify(config)).not.toMatch(/sk-secret|"pw"/);
  });

  it("names, by stack key, the CRDs the cluster must already have", () => {
    const config = parsePlatformConfig(local({}, { preinstalledOperators: ["kueue", "cloudnative-pg"] }), FILE);
    expect(clusterRequirementsOf(config)).toEqual([
      expect.objectContaining({ key: ["cluster", "preinstalledOperators"], because: '"kueue" is declared preinstalled', crds: expect.arrayContaining(["clusterqueues.kueue.x-k8s.io"]) }),
      expect.objectContaining({ key: ["cluster", "preinstalledOperators"], because: '"cloudnative-pg" is declared preinstalled', crds: ["clusters.postgresql.cnpg.io", "scheduledbackups.postgresql.cnpg.io"] }),
    ]);
    const aws = parsePlatformConfig(
      { environment: "dev", cluster: { provider: "aws" }, gpu: { aws: { nodeRole: "r", discoveryTag: "t", amiAlias: "al2023@v20250915" }, pools: [{ name: "l4", gpu: "nvidia-l4", maxGpus: 4 }] } },
      FILE,
    );
    expect(clusterRequirementsOf(aws)).toEqual([expect.objectContaining({ key: ["gpu", "pools"], crds: ["nodepools.karpenter.sh", "ec2nodeclasses.karpenter.k8s.aws"] })]);
  });
});
