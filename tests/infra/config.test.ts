import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { closest, parsePlatformConfig } from "../../infra/config.js";
import { platformArgsFrom } from "../../infra/platform-args.js";
import { FILE, loadStack, problemsOf, ROOT, STACKS } from "./config-helpers.js";

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
      [`${FILE}: mlops-platform:teams[0].quota.cpu: use a positive number, got -1`],
    ],
    [
      "fractional GPU count",
      (raw) => ((raw["teams"] as Array<Record<string, Record<string, unknown>>>)[0]!["quota"]!["gpus"] = 1.5),
      [`${FILE}: mlops-platform:teams[0].quota.gpus: use a whole number, 0 or more, got 1.5`],
    ],
    [
      "unknown top-level key with a hint",
      (raw) => (raw["clustr"] = {}),
      [`${FILE}: mlops-platform:clustr: unknown key; did you mean "cluster"? allowed keys: environment, cluster, availability, gpu, notebooks, training, gateway, catalog, monitoring, policies, teams`],
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
      [`${FILE}: mlops-platform:teams[1].name: give every team a unique name, got "vision"`],
    ],
    [
      "team name that is not a DNS label",
      (raw) => ((raw["teams"] as Array<Record<string, unknown>>)[0]!["name"] = "Vision_Team"),
      [`${FILE}: mlops-platform:teams[0].name: use a DNS label of at most 58 characters (the namespace is team-<name>), got "Vision_Team"`],
    ],
    [
      "team without owners",
      (raw) => ((raw["teams"] as Array<Record<string, unknown>>)[0]!["owners"] = []),
      [`${FILE}: mlops-platform:teams[0].owners: name at least one identity-provider group, got []`],
    ],
    [
      "malformed egress CIDR",
      (raw) => ((raw["teams"] as Array<Record<string, unknown>>)[0]!["egressCidrs"] = ["10.0.0.0"]),
      [`${FILE}: mlops-platform:teams[0].egressCidrs[0]: use CIDR notation such as "10.20.0.0/16": an IPv4 address of four numbers from 0 to 255 and a prefix length from 0 to 32 (or an IPv6 address and a prefix length from 0 to 128), got "10.0.0.0"`],
    ],
    [
      "list where a mapping belongs",
      (raw) => ((raw["cluster"] as Record<string, unknown>)["certManager"] = ["v1.20.2"]),
      [`${FILE}: mlops-platform:cluster.certManager: expected a mapping of keys to values, got ["v1.20.2"]`],
    ],
    [
      "unpinned chart version",
      (raw) => ((raw["cluster"] as Record<string, unknown>)["certManager"] = { version: "latest" }),
      [`${FILE}: mlops-platform:cluster.certManager.version: use an exact chart version such as "v1.20.2", got "latest"`],
    ],
    [
      "priority above the user range",
      (raw) => ((raw["cluster"] as Record<string, unknown>)["priorityClasses"] = { servingValue: 2000000000 }),
      [`${FILE}: mlops-platform:cluster.priorityClasses.servingValue: use a whole number from 0 to 1000000000, got 2000000000`],
    ],
    [
      "zero replicas",
      (raw) => (raw["availability"] = { replicas: 0 }),
      [`${FILE}: mlops-platform:availability.replicas: use a whole number of at least 1, got 0`],
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
    // Values the components refuse, in three sections: all of them in one run.
    const problems = problemsOf({
      environment: "prod",
      cluster: { provider: "aws", priorityClasses: { servingValue: -5 } },
      availability: { replicas: -2 },
      teams: [{ name: "a", owners: ["g"], quota: { cpu: 0, memoryGiB: 1, storageGiB: 1 }, egressCidrs: ["x"] }],
    });
    expect(problems).toHaveLength(4);
    expect(problems.every((p) => p.startsWith(`${FILE}: mlops-platform:`))).toBe(true);
  });

  it("reports every problem of the file's shape at once, and the components' only once the shape is right", () => {
    const problems = problemsOf({
      environment: "prod",
      cluster: { provider: "openstack", contxt: "x" },
      availability: { replicas: "two" },
      teams: [{ name: "a", owners: ["g"], quota: { cpu: 0, memoryGiB: 1, storageGiB: 1 } }],
    });
    expect(problems).toEqual([
      `${FILE}: mlops-platform:cluster.provider: expected one of "aws", "azure", "gcp", "kind", got "openstack"`,
      `${FILE}: mlops-platform:cluster.contxt: unknown key; did you mean "context"? allowed keys: provider, context, ingressClass, gatewayClass, preinstalledOperators, certManager, priorityClasses`,
      `${FILE}: mlops-platform:availability.replicas: expected a number, got "two"`,
    ]);
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
