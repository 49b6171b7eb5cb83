/**
 * The platform deployed for real: the `infra/` program, run by the real Pulumi engine (Automation API,
 * inline program) with the real Kubernetes provider, against the simulated cluster with the upstream CRDs
 * of the operators the stack declares preinstalled. up, a no-change preview, an update that adds a team,
 * destroy. Also the gateway's team reconciler with the real API server: its Job completes, and its script,
 * run with the reconciler's own service-account token, writes the team's key Secret and nothing else.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { ConfigMap, EngineEvent, OpType } from "@pulumi/pulumi/automation/index.js";
import { fakeLiteLLM, sha256Hex } from "@mlops-platform/components/testing";
import { platformProgram } from "../../infra/program.js";
import { renderStack } from "../../infra/render.js";
import { policyPackConfigFor } from "@mlops-platform/policies/rules";
import { runReconciler, serveFakeLiteLLM, tokenFile, writeReconcilerScript } from "../components/gateway/team-reconciler-harness.js";
import { requireTool } from "../helpers.js";
import { createEngineStack, requireEngine, type EngineStack } from "./engine.js";
import { REPO_ROOT, requireSimulatedCluster, run, startSimulatedCluster, type SimulatedCluster } from "./simulated-cluster.js";
import { requireUpstreamCrds } from "./upstream-crds.js";

const binaries = requireSimulatedCluster();
const engine = requireEngine();
const crdDir = requireUpstreamCrds();
const python = requireTool("python3", "apt-get install python3");
const MASTER_KEY = "sk-end-to-end-master-key";

const team = (name: string) => ({ name, owners: [`${name}-leads`], members: [`${name}-scientists`], quota: { cpu: 8, memoryGiB: 32, gpus: 1, storageGiB: 100 }, gateway: { monthlyBudgetUsd: 50, rpmLimit: 600 } });

/** The local stack's shape, on a cluster that runs the operators itself (their charts cannot be fetched offline). */
function stackConfig(kubeconfig: string, teams: string[]): ConfigMap {
  const plain = (value: unknown) => ({ value: typeof value === "string" ? value : JSON.stringify(value) });
  const secret = (value: string) => ({ value, secret: true });
  return {
    "mlops-platform:environment": plain("local"),
    "mlops-platform:cluster": plain({
      provider: "kind",
      preinstalledOperators: ["prometheus-operator", "cloudnative-pg", "kueue", "kubeflow-trainer", "kubeflow-notebooks"],
    }),
    "mlops-platform:training": plain({ kueue: { enabled: true } }),
    "mlops-platform:gateway": plain({ models: [{ name: "chat-default", provider: "ollama", model: "llama3.2:3b", apiBase: "http://ollama.ollama.svc:11434" }] }),
    // The platform's rules, dashboards and monitors on the cluster's own Prometheus Operator; OpenCost off,
    // its chart cannot be fetched offline (and it is off anyway without the URL of the cluster's Prometheus).
    // A model of the vision team is monitored: its ModelMonitor's PodMonitor, rules and dashboard deploy too.
    "mlops-platform:monitoring": plain({
      opencost: { enabled: false },
      models: [{ name: "churn", team: "vision", podSelector: { app: "churn" }, features: [{ name: "tenure_months", buckets: [3, 6, 12, 24, 48] }], predictionBuckets: [0.1, 0.5, 0.9] }],
    }),
    // The catalog's database (CloudNativePG is the cluster's) with its shipped SQL; the catalog service's
    // charts (OpenMetadata, OpenSearch) cannot be fetched offline.
    "mlops-platform:catalog": plain({ enabled: true, service: { enabled: false } }),
    "mlops-platform:teams": plain(teams.map(team)),
    // Every secret the platform would otherwise generate with @pulumi/random, whose provider cannot be
    // built here; and the kubeconfig as a CI deployment passes it.
    "mlops-platform:kubeconfig": secret(kubeconfig),
    "mlops-platform:gatewayMasterKey": secret(MASTER_KEY),
    "mlops-platform:gatewayValkeyPassword": secret("end-to-end-valkey-password"),
    "mlops-platform:gatewayDatabasePassword": secret("end-to-end-database-password"),
    "mlops-platform:catalogDatabasePassword": secret("end-to-end-catalog-password"),
  };
}

/** What the engine did to each resource during one operation, by URN. */
function recordOps(): { onEvent: (event: EngineEvent) => void; ops: Map<string, OpType> } {
  const ops = new Map<string, OpType>();
  return {
    ops,
    onEvent: (event) => {
      const metadata = event.resOutputsEvent?.metadata;
      if (metadata && metadata.op !== "same") ops.set(metadata.urn, metadata.op);
    },
  };
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort();
}

describe.skipIf(!binaries || !crdDir)("on a simulated cluster with the upstream CRDs", () => {
  let cluster: SimulatedCluster;

  beforeAll(async () => {
    cluster = await startSimulatedCluster();
    await cluster.script(["crds", crdDir!]);
  }, 600_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 300_000);

  describe.skipIf(!engine)("deployed by the real engine", () => {
    let deployment: EngineStack;
    let kubeconfig: string;

    beforeAll(async () => {
      kubeconfig = fs.readFileSync(cluster.kubeconfig, "utf8");
      deployment = await createEngineStack(engine!, {
        projectName: "mlops-platform",
        stackName: "e2e",
        program: () => platformProgram(),
        config: stackConfig(kubeconfig, ["vision"]),
      });
    }, 600_000);

    afterAll(async () => {
      await deployment?.dispose();
    }, 300_000);

    it("creates every resource, with Deployments ready and quotas computed by the cluster's controllers", async () => {
      const result = await deployment.stack.up({ onOutput: () => undefined });
      expect(result.summary.result).toBe("succeeded");
      expect(result.outputs["teamNamespaces"]?.value).toEqual({ vision: "team-vision" });
      expect(result.outputs["gatewayUrl"]?.value).toBe("http://ai-gateway.mlp-gateway.svc:4000/v1");
      const deployments = JSON.parse(await cluster.kubectl(["get", "deployments", "-n", "mlp-gateway", "-o", "json"])) as {
        items: Array<{ metadata: { name: string }; status: { readyReplicas?: number } }>;
      };
      expect(deployments.items.map((d) => [d.metadata.name, d.status.readyReplicas]).sort()).toEqual([
        ["ai-gateway", 1],
        ["ai-gateway-valkey", 1],
      ]);
      const quota = JSON.parse(await cluster.kubectl(["get", "resourcequota", "-n", "team-vision", "-o", "json"])) as {
        items: Array<{ status?: { hard?: Record<string, string> } }>;
      };
      expect(quota.items.length).toBeGreaterThan(0);
      for (const item of quota.items) expect(item.status?.hard).toBeDefined();
    }, 600_000);

    it("deploys the platform's alerting rules, dashboards and monitors onto the cluster's Prometheus Operator", async () => {
      const names = async (kind: string, extra: string[]) =>
        (await cluster.kubectl(["get", kind, ...extra, "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}"])).split("\n").filter(Boolean).sort();
      expect(await names("prometheusrules", ["-n", "mlp-monitoring"])).toEqual(
        ["mlp-databases", "mlp-delivery", "mlp-gateway", "mlp-model-team-vision-churn", "mlp-monitoring", "mlp-notebooks", "mlp-targets", "mlp-training"].map((name) => `mlp-monitoring/${name}`),
      );
      expect(await names("configmaps", ["-A", "-l", "grafana_dashboard=1"])).toEqual(
        ["mlp-databases-dashboard", "mlp-delivery-dashboard", "mlp-gateway-dashboard", "mlp-model-team-vision-churn-dashboard", "mlp-models-dashboard", "mlp-workloads-dashboard"].map((name) => `mlp-monitoring/${name}`),
      );
      // The notebook controller is the cluster's here: its PodMonitor, like the controller, is the cluster's too.
      expect(await names("podmonitors", ["-A"])).toEqual(["mlp-catalog/catalog-db", "mlp-gateway/gateway-db", "mlp-monitoring/mlp-model-team-vision-churn"]);
      expect(await names("servicemonitors", ["-A"])).toEqual(["mlp-gateway/ai-gateway"]);
      // The model's rules arrived as promtool tested them: PSI above a significant shift, held an hour,
      // routed to the team; every 5 minutes.
      const model = JSON.parse(await cluster.kubectl(["get", "prometheusrule", "mlp-model-team-vision-churn", "-n", "mlp-monitoring", "-o", "json"])) as {
        spec: { groups: Array<{ interval?: string; rules: Array<{ alert?: string; expr: string; for?: string; labels?: Record<string, string> }> }> };
      };
      expect(model.spec.groups[0]!.interval).toBe("5m");
      expect(model.spec.groups[0]!.rules.find((rule) => rule.alert === "ModelDataDrift")).toMatchObject({
        expr: 'mlp:ml_feature_value:psi{namespace="team-vision", model="churn"} > 0.2',
        for: "60m",
        labels: { severity: "warning", team: "vision" },
      });
    }, 300_000);

    it("deploys the catalog's database on the cluster's CloudNativePG: its Cluster created with the shipped SQL, its owner's Secret, its PodMonitor", async () => {
      const catalogDb = JSON.parse(await cluster.kubectl(["get", "clusters.postgresql.cnpg.io", "catalog-db", "-n", "mlp-catalog", "-o", "json"])) as {
        spec: { instances: number; bootstrap: { initdb: { database: string; owner: string; secret: { name: string }; postInitApplicationSQL: string[] } } };
      };
      expect(catalogDb.spec.instances).toBe(1);
      expect(catalogDb.spec.bootstrap.initdb).toMatchObject({ database: "openmetadata_db", owner: "openmetadata", secret: { name: "catalog-db-app-user" } });
      expect(catalogDb.spec.bootstrap.initdb.postInitApplicationSQL).toHaveLength(3);
      expect(catalogDb.spec.bootstrap.initdb.postInitApplicationSQL[2]).toContain("CREATE ROLE catalog_readonly NOLOGIN");
      const secret = JSON.parse(await cluster.kubectl(["get", "secret", "catalog-db-app-user", "-n", "mlp-catalog", "-o", "json"])) as { type: string; data: Record<string, string> };
      expect(secret.type).toBe("kubernetes.io/basic-auth");
      expect(Buffer.from(secret.data["password"]!, "base64").toString()).toBe("end-to-end-catalog-password");
    }, 300_000);

    it("records the deployment as the deploy workflow does: a DeploymentRecord with commit, environment and result, which the API server keeps as written", async () => {
      const commit = "0123456789abcdef0123456789abcdef01234567";
      const record = await run(
        "bash",
        [path.join(REPO_ROOT, "scripts/record-deployment"), "--environment", "local", "--commit", commit, "--result", "succeeded", "--merged-at", "2026-11-28T07:00:00Z", "--deployed-at", "2026-11-28T07:20:12Z"],
        { env: { ...cluster.env, KUBECTL: cluster.kubectlPath } },
      );
      expect(record.stdout).toContain("recorded mlp-monitoring/local-20261128t072012-0123456");
      const records = JSON.parse(await cluster.kubectl(["get", "deploymentrecords", "-n", "mlp-monitoring", "-o", "json"])) as {
        items: Array<{ metadata: { name: string }; spec: Record<string, string> }>;
      };
      expect(records.items.map((item) => [item.metadata.name, item.spec])).toEqual([
        ["local-20261128t072012-0123456", { environment: "local", commit, result: "succeeded", mergedAt: "2026-11-28T07:00:00Z", deployedAt: "2026-11-28T07:20:12Z" }],
      ]);
      // kubectl shows the record's columns; a record is a fact: the API server refuses to change it.
      expect(await cluster.kubectl(["get", "deploymentrecords", "-n", "mlp-monitoring"])).toMatch(/local-20261128t072012-0123456\s+local\s+0123456789abcdef0123456789abcdef01234567\s+succeeded/);
      const change = await run(cluster.kubectlPath, ["--kubeconfig", cluster.kubeconfig, "patch", "deploymentrecord", "local-20261128t072012-0123456", "-n", "mlp-monitoring", "--type", "merge", "-p", '{"spec":{"result":"failed"}}'], { env: cluster.env }).then(
        () => "",
        (err: unknown) => String(err),
      );
      expect(change).toContain("a deployment record is a fact");
      // Records outlive deployments in real clusters; here the later tests start from the platform's objects only.
      await cluster.kubectl(["delete", "deploymentrecords", "--all", "-n", "mlp-monitoring"]);
    }, 300_000);

    it("runs the gateway's team reconciler: its Job completes, its CronJob heals every 15 minutes, and each team namespace admits it to the key Secret", async () => {
      const jobs = JSON.parse(await cluster.kubectl(["get", "jobs", "-n", "mlp-gateway", "-o", "json"])) as {
        items: Array<{ metadata: { name: string }; status: { succeeded?: number; conditions?: Array<{ type: string; status: string }> } }>;
      };
      // kwok completes the Job's pod without running it; Pulumi waited for the Job to complete.
      const job = jobs.items.find((item) => item.metadata.name.startsWith("ai-gateway-teams-"))!;
      expect(job.status.succeeded).toBe(1);
      expect(job.status.conditions).toContainEqual(expect.objectContaining({ type: "Complete", status: "True" }));
      expect(await cluster.kubectl(["get", "cronjob", "ai-gateway-teams-heal", "-n", "mlp-gateway", "-o", "jsonpath={.spec.schedule}"])).toBe("*/15 * * * *");
      const account = "system:serviceaccount:mlp-gateway:ai-gateway-team-reconciler";
      const can = (...args: string[]) =>
        run(cluster.kubectlPath, ["--kubeconfig", cluster.kubeconfig, "auth", "can-i", "--quiet", "--as", account, ...args], { env: cluster.env }).then(
          () => true,
          () => false,
        );
      for (const verb of ["get", "create", "patch"]) expect(await can(verb, "secrets/ai-gateway-key", "-n", "team-vision"), verb).toBe(true);
      expect(await can("get", "secrets/other", "-n", "team-vision")).toBe(false);
      expect(await can("list", "secrets", "-n", "team-vision")).toBe(false);
      expect(await can("create", "secrets", "-n", "team-vision")).toBe(false);
      expect(await can("get", "secrets/ai-gateway-env", "-n", "mlp-gateway")).toBe(false);
    }, 300_000);

    it.skipIf(!python)("the reconciler's script, with its service account's token, writes the team's key through the real API server and is refused any other namespace", async () => {
      const gateway = fakeLiteLLM(MASTER_KEY);
      const server = await serveFakeLiteLLM(gateway);
      const script = writeReconcilerScript();
      const dir = path.dirname(script);
      try {
        const token = (await cluster.kubectl(["create", "token", "ai-gateway-team-reconciler", "-n", "mlp-gateway"])).trim();
        const config = parse(fs.readFileSync(cluster.kubeconfig, "utf8")) as { clusters: Array<{ cluster: { server: string; "certificate-authority-data": string } }> };
        const caFile = path.join(dir, "ca.crt");
        fs.writeFileSync(caFile, Buffer.from(config.clusters[0]!.cluster["certificate-authority-data"], "base64"));
        const env = { GATEWAY_URL: server.url, LITELLM_MASTER_KEY: MASTER_KEY, KUBE_API_URL: config.clusters[0]!.cluster.server, KUBE_TOKEN_FILE: tokenFile(dir, token), KUBE_CA_FILE: caFile };
        // The desired teams exactly as deployed.
        const deployed = JSON.parse(await cluster.kubectl(["get", "configmap", "ai-gateway-teams", "-n", "mlp-gateway", "-o", "json"])) as { data: Record<string, string> };
        const teamsJson = deployed.data["teams.json"]!;

        const first = await runReconciler(python!, script, teamsJson, env);
        expect(first.code, first.output).toBe(0);
        const secret = JSON.parse(await cluster.kubectl(["get", "secret", "ai-gateway-key", "-n", "team-vision", "-o", "json", "--show-managed-fields"])) as {
          data: Record<string, string>;
          metadata: { labels: Record<string, string>; managedFields: Array<{ manager: string }> };
        };
        const key = Buffer.from(secret.data["api-key"]!, "base64").toString();
        expect(gateway.keys.get(sha256Hex(key))).toMatchObject({ keyAlias: "mlops-platform/vision" });
        expect(secret.metadata.managedFields.map((field) => field.manager)).toEqual(["mlops-platform-gateway-teams"]);
        expect([...gateway.teams.values()]).toEqual([expect.objectContaining({ team_alias: "vision", max_budget: 50, rpm_limit: 600, models: ["chat-default"] })]);

        const second = await runReconciler(python!, script, teamsJson, env);
        expect(second.stdout.trim()).toBe("teams: 0 created, 0 updated, 1 unchanged, 0 deleted; keys: 0 issued, 1 kept");

        // A namespace without the reconciler's Role: the real API server refuses it, the others are unaffected.
        const elsewhere = JSON.parse(teamsJson) as { teams: Array<Record<string, unknown>> };
        elsewhere.teams.push({ name: "intruder", namespace: "mlp-monitoring", keyAlias: "mlops-platform/intruder", models: [] });
        const third = await runReconciler(python!, script, JSON.stringify(elsewhere), env);
        expect(third.code).toBe(1);
        expect(third.stdout).toContain('cannot get resource "secrets" in API group "" in the namespace "mlp-monitoring"');
        for (const run of [first, second, third]) for (const secretValue of [key, MASTER_KEY, token]) expect(run.output).not.toContain(secretValue);
      } finally {
        await server.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);

    it("previews no change when nothing changed", async () => {
      const preview = await deployment.stack.preview({ expectNoChanges: true, diff: true });
      expect(preview.changeSummary).toEqual({ same: expect.any(Number) });
    }, 300_000);

    it("runs the policy pack under the real engine, with the findings of the offline evaluator", async () => {
      const configFile = path.join(deployment.dir, "policy-config.local.json");
      fs.writeFileSync(configFile, JSON.stringify(policyPackConfigFor("local")));
      let output = "";
      const preview = await deployment.stack.preview({
        // The executable form: this engine has no Node.js language host to start `policies` itself.
        policyPacks: [path.join(REPO_ROOT, "policies", "run-analyzer")],
        policyPackConfigs: [configFile],
        onOutput: (text) => (output += text),
      });
      expect(preview.changeSummary).toEqual({ same: expect.any(Number) });
      expect(output).toContain(`mlops-platform@v${(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policies", "package.json"), "utf8")) as { version: string }).version}`);
      // The one finding the render reports for this shape of stack: a model without a fallback (advisory).
      expect(output).toMatch(/\[advisory\]\s+gateway-fallbacks/);
      expect(output).not.toContain("[mandatory]");
    }, 300_000);

    it("adds a team by creating that team's resources and updating only what lists the teams", async () => {
      await deployment.stack.setAllConfig(stackConfig(kubeconfig, ["vision", "speech"]));
      const { ops, onEvent } = recordOps();
      const result = await deployment.stack.up({ onEvent, onOutput: () => undefined });
      expect(result.summary.result).toBe("succeeded");
      const created = [...ops].filter(([, op]) => op === "create").map(([urn]) => nameOf(urn));
      const changed = [...ops].filter(([, op]) => op !== "create").map(([urn, op]) => `${op} ${nameOf(urn)}`);
      expect(created.length).toBeGreaterThan(0);
      for (const name of created) expect(name).toContain("speech");
      // Only objects that name every team change: the gateway's NetworkPolicy and its desired teams (a new
      // ConfigMap and a new reconciler Job). Models are monitored one ModelMonitor each, named in the stack.
      expect(changed.sort()).toEqual(["create-replacement mlops-gateway-teams-teams", "delete-replaced mlops-gateway-teams-run", "update mlops-gateway-network"]);
      expect(await cluster.kubectl(["get", "namespace", "team-speech", "-o", "name"])).toContain("namespace/team-speech");
    }, 600_000);

    it("destroys everything it created, namespaces included", async () => {
      const result = await deployment.stack.destroy({ onOutput: () => undefined });
      expect(result.summary.result).toBe("succeeded");
      const namespaces = await cluster.kubectl(["get", "namespaces", "-o", "jsonpath={.items[*].metadata.name}"]);
      expect(namespaces.split(" ").filter((ns) => ns.startsWith("team-") || ns.startsWith("mlp-"))).toEqual([]);
      const state = await deployment.stack.exportStack();
      expect((state.deployment as { resources?: unknown[] }).resources ?? []).toEqual([]);
    }, 600_000);
  });

  // After the engine's run, which needs a cluster without the platform's namespaces.
  describe.each(["local", "dev", "staging", "prod"])("the offline render of stacks/Pulumi.%s.yaml", (stack) => {
    it("is accepted by the API server as it is, without a warning", async () => {
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), `mlp-render-${stack}-`));
      try {
        const outcome = await renderStack({ stack, outDir, cwd: REPO_ROOT });
        expect(outcome.exitCode, outcome.report).toBe(0);
        const manifests = path.join(outDir, "manifests");
        const files = listFiles(manifests);
        // Patches change objects that Helm charts and kustomize bundles create; those do not expand offline.
        // A patch of a Namespace is whole enough to create it, and stands in for the bundle's own: the
        // platform's objects in it (the notebook controller's PodMonitor) need it to be there.
        const objects = files.filter((file) => !file.endsWith(".patch.yaml") || path.basename(file).startsWith("namespace-"));
        const namespaces = objects.filter((file) => path.basename(file).startsWith("namespace-"));
        const namespaced = objects.filter((file) => !namespaces.includes(file));
        // Namespaces for real (the others are admitted in them), then everything else as a server-side dry
        // run: the API server's schema checks, CRD validation (CEL included) and admission, nothing stored.
        const apply = async (list: string[], extra: string[]) => {
          const args = ["apply", "--server-side", "--field-manager", `render-${stack}`, "--force-conflicts", ...extra, ...list.flatMap((f) => ["-f", f])];
          return run(cluster.kubectlPath, ["--kubeconfig", cluster.kubeconfig, ...args], { env: cluster.env });
        };
        const results = [await apply(namespaces, []), await apply(namespaced, ["--dry-run=server"])];
        const warnings = results.flatMap((r) => r.stderr.split("\n")).filter((line) => /warning/i.test(line));
        expect(warnings).toEqual([]);
        const applied = results.flatMap((r) => r.stdout.split("\n")).filter((line) => /serverside-applied/.test(line));
        expect(applied.length).toBe(objects.length);
      } finally {
        fs.rmSync(outDir, { recursive: true, force: true });
      }
    }, 300_000);
  });
});
