import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { buildArtifacts } from "@mlops-platform/components/testing";
import { capture, one, ofType } from "../../helpers.js";
import { BARMAN_CLOUD_PLUGIN_CHART, CLOUDNATIVE_PG_CHART, CloudNativePgOperator, type CloudNativePgOperatorArgs } from "./database-api.js";

const CHART = "kubernetes:helm.sh/v4:Chart";

async function renderOperator(args: CloudNativePgOperatorArgs) {
  const result = await capture(() => {
    new CloudNativePgOperator("cnpg", args);
  });
  expect(result.errors).toEqual([]);
  return { result, ...(await buildArtifacts(result)) };
}

describe("the CloudNativePG operator", () => {
  it("is chart cloudnative-pg 0.29.0 (operator 1.30.0) from the project's repository, release cnpg in cnpg-system, CRDs included", async () => {
    const { result, releases } = await renderOperator({});
    expect(CLOUDNATIVE_PG_CHART).toEqual({ chart: "cloudnative-pg", repository: "https://cloudnative-pg.github.io/charts", version: "0.29.0" });
    expect(one(result, CHART, "cnpg-chart").inputs).toMatchObject({
      name: "cnpg",
      chart: "cloudnative-pg",
      repositoryOpts: { repo: "https://cloudnative-pg.github.io/charts" },
      version: "0.29.0",
      namespace: "cnpg-system",
    });
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({ kind: "helm.v4.Chart", chart: "cloudnative-pg", version: "0.29.0", namespace: "cnpg-system" });
    expect((releases[0]!.values as Record<string, any>)["crds"]).toEqual({ create: true });
  });

  it("gives the operator cpu and memory requests and limits", async () => {
    const { result } = await renderOperator({});
    const resources = (one(result, CHART, "cnpg-chart").inputs["values"] as Record<string, any>)["resources"];
    expect(Object.keys(resources.requests).sort()).toEqual(["cpu", "memory"]);
    expect(Object.keys(resources.limits).sort()).toEqual(["cpu", "memory"]);
  });

  it("installs no backup plugin unless asked", async () => {
    const { result } = await renderOperator({});
    expect(ofType(result, CHART).map((c) => c.name)).toEqual(["cnpg-chart"]);
    expect(one(result, "mlops-platform:index:CloudNativePgOperator", "cnpg").outputs).toEqual({ namespace: "cnpg-system", barmanCloudPluginEnabled: false });
  });

  it("with backups, adds plugin-barman-cloud 0.7.1 (plugin v0.14.0) in the operator's namespace, after the operator, with resources", async () => {
    const { result } = await renderOperator({ barmanCloudPlugin: true });
    expect(BARMAN_CLOUD_PLUGIN_CHART).toEqual({ chart: "plugin-barman-cloud", repository: "https://cloudnative-pg.github.io/charts", version: "0.7.1" });
    const plugin = one(result, CHART, "cnpg-barman-cloud");
    expect(plugin.inputs).toMatchObject({
      name: "plugin-barman-cloud",
      chart: "plugin-barman-cloud",
      repositoryOpts: { repo: "https://cloudnative-pg.github.io/charts" },
      version: "0.7.1",
      namespace: "cnpg-system",
    });
    expect(Object.keys((plugin.inputs["values"] as Record<string, any>)["resources"].limits).sort()).toEqual(["cpu", "memory"]);
    expect(plugin.dependsOn).toContain(one(result, CHART, "cnpg-chart").urn);
    expect(one(result, "mlops-platform:index:CloudNativePgOperator", "cnpg").outputs["barmanCloudPluginEnabled"]).toBe(true);
  });

  it("follows version overrides and another namespace", async () => {
    const { result } = await renderOperator({ namespace: "databases", version: "0.29.1", barmanCloudPlugin: true, barmanCloudPluginVersion: "0.8.0" });
    expect(one(result, CHART, "cnpg-chart").inputs).toMatchObject({ version: "0.29.1", namespace: "databases" });
    expect(one(result, CHART, "cnpg-barman-cloud").inputs).toMatchObject({ version: "0.8.0", namespace: "databases" });
  });

  it.each([
    ["a version range", { version: "^0.29.0" }, 'version: got "^0.29.0"; use an exact chart version without "v", such as "0.29.0"'],
    ["a v-prefixed plugin version", { barmanCloudPluginVersion: "v0.7.1" }, 'barmanCloudPluginVersion: got "v0.7.1"; use an exact chart version without "v", such as "0.7.1"'],
    ["a namespace that is not a DNS label", { namespace: "CNPG" }, 'namespace: got "CNPG"; use a namespace name (a DNS label)'],
  ])("fails on %s", async (_case, args, message) => {
    const result = await capture(() => {
      new CloudNativePgOperator("cnpg", args as CloudNativePgOperatorArgs);
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toBeInstanceOf(pulumi.InputPropertyError);
    expect(result.errors[0]!.message).toContain(message);
    expect(ofType(result, CHART)).toEqual([]);
  });
});
