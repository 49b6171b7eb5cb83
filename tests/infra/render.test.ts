import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI, projectWithStack, readTree, render, ROOT, tempDir, type Run } from "./render-helpers.js";

const STACKS = ["local", "dev", "staging", "prod"];

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm test" (it builds first) or "npm run build"`);
});

describe("npm run render", () => {
  const outputs = new Map<string, { run: Run; out: string }>();
  beforeAll(() => {
    for (const stack of STACKS) {
      const out = tempDir(`mlp-render-${stack}-`);
      outputs.set(stack, { run: render(["--stack", stack, "--out", out]), out });
    }
  });

  it.each(STACKS)("renders stack %s cleanly and prints a summary", (stack) => {
    const { run, out } = outputs.get(stack)!;
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`mlops-platform · stack ${stack} (environment ${stack}, cluster `);
    expect(run.stdout).toMatch(/Resources per component:\n( {2}.+\n)* {2}ClusterBase::mlops-cluster +\d+/);
    expect(run.stdout).toMatch(/Schema: \d+ objects validated, no problems/);
    expect(run.stdout).toMatch(/Policies: (no violations|\d+ violations \(0 mandatory, \d+ advisory\))/);
    expect(fs.existsSync(path.join(out, "plan.json"))).toBe(true);
    expect(fs.existsSync(path.join(out, "releases.yaml"))).toBe(true);
  });

  it("writes one manifest per object under <namespace or _cluster>/<kind>-<name>.yaml", () => {
    const files = [...readTree(outputs.get("dev")!.out).keys()]
      .filter((f) => f.startsWith("manifests/"))
      // The reconcilers' Jobs are named by a digest of the desired state and the script.
      .map((f) => f.replace(/\/job-(ai-gateway-teams|catalog-teams)-[0-9a-f]+\.yaml$/, "/job-$1-<digest>.yaml"))
      .sort();
    expect(files).toEqual([
      "manifests/_cluster/clustertrainingruntime-torch-distributed-cpu.yaml",
      "manifests/_cluster/clustertrainingruntime-torch-distributed-gpu-l4-spot.yaml",
      "manifests/_cluster/customresourcedefinition-deploymentrecords.delivery.mlops-platform.io.yaml",
      "manifests/_cluster/ec2nodeclass-gpu-l4-spot.yaml",
      "manifests/_cluster/namespace-cert-manager.yaml",
      "manifests/_cluster/namespace-cnpg-system.yaml",
      "manifests/_cluster/namespace-gpu-operator.yaml",
      "manifests/_cluster/namespace-kubeflow-system.yaml",
      "manifests/_cluster/namespace-kubeflow.yaml",
      "manifests/_cluster/namespace-mlp-catalog.yaml",
      "manifests/_cluster/namespace-mlp-gateway.yaml",
      "manifests/_cluster/namespace-mlp-monitoring.yaml",
      "manifests/_cluster/namespace-notebook-controller-system.patch.yaml",
      "manifests/_cluster/namespace-team-vision.yaml",
      "manifests/_cluster/nodepool-gpu-l4-spot.yaml",
      "manifests/_cluster/priorityclass-mlp-notebooks.yaml",
      "manifests/_cluster/priorityclass-mlp-placeholder.yaml",
      "manifests/_cluster/priorityclass-mlp-serving.yaml",
      "manifests/_cluster/priorityclass-mlp-training.yaml",
      "manifests/gpu-operator/configmap-mlp-device-plugin-config.yaml",
      "manifests/mlp-catalog/cluster-catalog-db.yaml",
      "manifests/mlp-catalog/configmap-catalog-desired.yaml",
      "manifests/mlp-catalog/configmap-catalog-reconciler.yaml",
      "manifests/mlp-catalog/cronjob-catalog-teams-heal.yaml",
      "manifests/mlp-catalog/job-catalog-teams-<digest>.yaml",
      "manifests/mlp-catalog/networkpolicy-catalog-reconciler.yaml",
      "manifests/mlp-catalog/objectstore-catalog-db-backups.yaml",
      "manifests/mlp-catalog/podmonitor-catalog-db.yaml",
      "manifests/mlp-catalog/scheduledbackup-catalog-db-backup.yaml",
      "manifests/mlp-catalog/secret-catalog-db-app-user.yaml",
      "manifests/mlp-catalog/secret-catalog-ingestion-sources.yaml",
      "manifests/mlp-catalog/secret-openmetadata-admin.yaml",
      "manifests/mlp-catalog/secret-openmetadata-fernet.yaml",
      "manifests/mlp-catalog/serviceaccount-catalog-reconciler.yaml",
      "manifests/mlp-gateway/cluster-gateway-db.yaml",
      "manifests/mlp-gateway/configmap-ai-gateway-config.yaml",
      "manifests/mlp-gateway/configmap-ai-gateway-team-reconciler.yaml",
      "manifests/mlp-gateway/configmap-ai-gateway-teams.yaml",
      "manifests/mlp-gateway/cronjob-ai-gateway-teams-heal.yaml",
      "manifests/mlp-gateway/deployment-ai-gateway-valkey.yaml",
      "manifests/mlp-gateway/deployment-ai-gateway.yaml",
      "manifests/mlp-gateway/horizontalpodautoscaler-ai-gateway.yaml",
      "manifests/mlp-gateway/job-ai-gateway-teams-<digest>.yaml",
      "manifests/mlp-gateway/networkpolicy-ai-gateway-from-team-reconciler.yaml",
      "manifests/mlp-gateway/networkpolicy-ai-gateway-team-reconciler.yaml",
      "manifests/mlp-gateway/networkpolicy-ai-gateway-valkey.yaml",
      "manifests/mlp-gateway/networkpolicy-ai-gateway.yaml",
      "manifests/mlp-gateway/objectstore-gateway-db-backups.yaml",
      "manifests/mlp-gateway/podmonitor-gateway-db.yaml",
      "manifests/mlp-gateway/scheduledbackup-gateway-db-backup.yaml",
      "manifests/mlp-gateway/secret-ai-gateway-env.yaml",
      "manifests/mlp-gateway/secret-gateway-db-app-user.yaml",
      "manifests/mlp-gateway/service-ai-gateway-valkey.yaml",
      "manifests/mlp-gateway/service-ai-gateway.yaml",
      "manifests/mlp-gateway/serviceaccount-ai-gateway-team-reconciler.yaml",
      "manifests/mlp-gateway/servicemonitor-ai-gateway.yaml",
      "manifests/mlp-monitoring/configmap-mlp-cost-dashboard.yaml",
      "manifests/mlp-monitoring/configmap-mlp-databases-dashboard.yaml",
      "manifests/mlp-monitoring/configmap-mlp-delivery-dashboard.yaml",
      "manifests/mlp-monitoring/configmap-mlp-gateway-dashboard.yaml",
      "manifests/mlp-monitoring/configmap-mlp-gpus-dashboard.yaml",
      "manifests/mlp-monitoring/configmap-mlp-model-team-vision-churn-dashboard.yaml",
      "manifests/mlp-monitoring/configmap-mlp-models-dashboard.yaml",
      "manifests/mlp-monitoring/configmap-mlp-workloads-dashboard.yaml",
      "manifests/mlp-monitoring/podmonitor-mlp-model-team-vision-churn.yaml",
      "manifests/mlp-monitoring/prometheusrule-mlp-cost.yaml",
      "manifests/mlp-monitoring/prometheusrule-mlp-databases.yaml",
      "manifests/mlp-monitoring/prometheusrule-mlp-delivery.yaml",
      "manifests/mlp-monitoring/prometheusrule-mlp-gateway.yaml",
      "manifests/mlp-monitoring/prometheusrule-mlp-gpus.yaml",
      "manifests/mlp-monitoring/prometheusrule-mlp-model-team-vision-churn.yaml",
      "manifests/mlp-monitoring/prometheusrule-mlp-monitoring.yaml",
      "manifests/mlp-monitoring/prometheusrule-mlp-notebooks.yaml",
      "manifests/mlp-monitoring/prometheusrule-mlp-targets.yaml",
      "manifests/mlp-monitoring/prometheusrule-mlp-training.yaml",
      "manifests/mlp-monitoring/secret-alertmanager-platform-config.yaml",
      "manifests/mlp-monitoring/secret-grafana-admin.yaml",
      "manifests/notebook-controller-system/deployment-notebook-controller-deployment.patch.yaml",
      "manifests/notebook-controller-system/podmonitor-notebook-controller.yaml",
      "manifests/team-vision/configmap-mlp-notebook-catalog.yaml",
      "manifests/team-vision/limitrange-team-defaults.yaml",
      "manifests/team-vision/networkpolicy-allow-dns.yaml",
      "manifests/team-vision/networkpolicy-allow-platform-ingress.yaml",
      "manifests/team-vision/networkpolicy-allow-platform-services.yaml",
      "manifests/team-vision/networkpolicy-allow-same-namespace.yaml",
      "manifests/team-vision/networkpolicy-default-deny.yaml",
      "manifests/team-vision/poddefault-gpu-l4-spot.yaml",
      "manifests/team-vision/poddefault-platform-context.yaml",
      "manifests/team-vision/resourcequota-team-quota.yaml",
      "manifests/team-vision/role-ai-gateway-key-writer.yaml",
      "manifests/team-vision/role-notebook-users.yaml",
      "manifests/team-vision/rolebinding-ai-gateway-key-writer.yaml",
      "manifests/team-vision/rolebinding-notebook-users.yaml",
      "manifests/team-vision/rolebinding-team-members.yaml",
      "manifests/team-vision/rolebinding-team-owners.yaml",
    ]);
    const namespace = fs.readFileSync(path.join(outputs.get("dev")!.out, "manifests/_cluster/namespace-cert-manager.yaml"), "utf8");
    expect(namespace.startsWith("apiVersion: v1\nkind: Namespace\nmetadata:\n")).toBe(true);
    expect(namespace).toContain("pod-security.kubernetes.io/enforce: restricted");
  });

  it("writes plan.json in the documented shape", () => {
    const plan = JSON.parse(fs.readFileSync(path.join(outputs.get("prod")!.out, "plan.json"), "utf8"));
    expect(Object.keys(plan)).toEqual(["stack", "resources", "violations", "cost"]);
    expect(plan.cost).toMatchObject({ currency: "USD", maxMonthlyUsd: 197216.8, idleMonthlyUsd: 16030.8 });
    expect(plan.violations).toEqual([]); // prod: every rule holds, advisory ones included
    expect(plan.stack).toBe("prod");
    for (const resource of plan.resources) {
      expect(Object.keys(resource)).toEqual(["type", "name", "parent", "component", "inputs", "protect", "retainOnDelete", "dependsOn"]);
    }
    const labels = plan.resources.map((r: { type: string; name: string }) => `${r.type}::${r.name}`);
    expect(labels).toEqual([...labels].sort());
    const chart = plan.resources.find((r: { type: string; name: string }) => r.type === "kubernetes:helm.sh/v4:Chart" && r.name === "mlops-cluster-cert-manager");
    expect(chart).toMatchObject({
      parent: "mlops-platform:index:ClusterBase::mlops-cluster",
      component: "ClusterBase::mlops-cluster",
      dependsOn: ["kubernetes:core/v1:Namespace::mlops-cluster-ns-cert-manager"],
      inputs: { version: "v1.20.2", values: { replicaCount: 3 } },
    });
    const provider = plan.resources.find((r: { type: string }) => r.type === "pulumi:providers:kubernetes");
    expect(provider.inputs).toMatchObject({ context: "mlops-prod", enableServerSideApply: "true" });
  });

  it("README's quick start shows exactly what rendering dev prints", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const printed = outputs.get("dev")!.run.stdout.replace(/^Wrote .*$/m, "Wrote out/dev/ (manifests/, releases.yaml, plan.json)");
    expect(readme).toContain(`\`\`\`text\n${printed}\`\`\``);
  });

  it.each(STACKS)("README shows stack %s's GPU cost table as render prints it", (stack) => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const printed = outputs.get(stack)!.run.stdout.split("\n");
    const start = printed.findIndex((line) => line.startsWith("GPU cost"));
    expect(start).toBeGreaterThanOrEqual(0);
    const table = stack === "local" ? [printed[start]!] : printed.slice(start + 1, printed.findIndex((line) => line.startsWith("  total")) + 1);
    expect(readme).toContain(`${stack}:\n${table.join("\n")}\n`);
  });

  it("runs the notebook controller with culling on and each environment's idle time", () => {
    const idle = { local: "30", dev: "30", staging: "60", prod: "120" } as Record<string, string>;
    for (const stack of STACKS) {
      const file = path.join(outputs.get(stack)!.out, "manifests/notebook-controller-system/deployment-notebook-controller-deployment.patch.yaml");
      const text = fs.readFileSync(file, "utf8");
      expect(text, stack).toContain('- name: ENABLE_CULLING\n              value: "true"');
      expect(text, stack).toContain(`- name: CULL_IDLE_TIME\n              value: "${idle[stack]}"`);
    }
  });

  it("shares GPUs fairly with Kueue in staging and prod only, giving each team a queue and scoped GPU quotas", () => {
    for (const stack of STACKS) {
      const files = [...readTree(outputs.get(stack)!.out).keys()];
      const kueue = stack === "staging" || stack === "prod";
      expect(files.some((f) => f.endsWith("localqueue-default.yaml")), stack).toBe(kueue);
      expect(files.includes("manifests/team-vision/resourcequota-team-training-gpu-quota.yaml") || stack === "local", stack).toBe(kueue || stack === "local");
    }
    const prod = readTree(outputs.get("prod")!.out);
    expect(prod.get("manifests/_cluster/clusterqueue-team-nlp.yaml")).toContain("cohort");
    // Prod's training pool is h100-training (32 GPUs): training pods may hold up to that when Kueue admits them.
    expect(prod.get("manifests/team-vision/resourcequota-team-training-gpu-quota.yaml")).toContain('requests.nvidia.com/gpu: "32"');
  });

  it("backs the gateway with PostgreSQL: one instance in local and dev, two protected in staging, three protected in prod, backed up as an IAM role", () => {
    const instances = { local: 1, dev: 1, staging: 2, prod: 3 } as Record<string, number>;
    for (const stack of STACKS) {
      const plan = JSON.parse(fs.readFileSync(path.join(outputs.get(stack)!.out, "plan.json"), "utf8"));
      const cluster = plan.resources.find((r: { type: string; name: string }) => r.type === "kubernetes:postgresql.cnpg.io/v1:Cluster" && r.name === "mlops-gateway-db-cluster");
      expect(cluster.inputs.spec.instances, stack).toBe(instances[stack]);
      expect([cluster.protect, cluster.retainOnDelete], stack).toEqual(stack === "prod" || stack === "staging" ? [true, true] : [false, false]);
      expect(Boolean(cluster.inputs.spec.plugins), stack).toBe(stack !== "local");
      // IRSA: the first pulumi up needs no Secret made by hand in the namespace the stack creates.
      expect(cluster.inputs.spec.serviceAccountTemplate?.metadata.annotations["eks.amazonaws.com/role-arn"], stack).toBe(
        stack === "local" ? undefined : `arn:aws:iam::111122223333:role/mlops-${stack}-database-backups`,
      );
      const secret = plan.resources.find((r: { type: string; name: string }) => r.type === "kubernetes:core/v1:Secret" && r.name === "mlops-gateway-env");
      expect(secret.inputs.stringData, stack).toBe("<secret>");
    }
  });

  it("lists every chart with its pinned version in releases.yaml", () => {
    const releases = fs.readFileSync(path.join(outputs.get("staging")!.out, "releases.yaml"), "utf8");
    expect(releases).toContain("chart: cert-manager\n    repository: https://charts.jetstack.io\n    version: v1.20.2\n    namespace: cert-manager");
  });

  it("is deterministic: two renders of a stack are byte-identical", () => {
    const again = tempDir("mlp-render-again-");
    expect(render(["--stack", "dev", "--out", again]).status).toBe(0);
    const first = readTree(outputs.get("dev")!.out);
    const second = readTree(again);
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [file, text] of first) expect(second.get(file), file).toBe(text);
  });

  it("replaces a previous render's files instead of mixing with them", () => {
    const out = tempDir("mlp-render-stale-");
    fs.mkdirSync(path.join(out, "manifests/gone"), { recursive: true });
    fs.writeFileSync(path.join(out, "manifests/gone/configmap-old.yaml"), "stale");
    fs.writeFileSync(path.join(out, ".mlops-render.json"), JSON.stringify({ stack: "dev" }));
    expect(render(["--stack", "local", "--out", out]).status).toBe(0);
    expect(fs.existsSync(path.join(out, "manifests/gone"))).toBe(false);
  });
});

describe("onboarding a team", () => {
  it("takes one entry in the stack file and renders its namespace, quota, defaults, RBAC and isolation", () => {
    const dev = fs.readFileSync(path.join(ROOT, "stacks/Pulumi.dev.yaml"), "utf8");
    const entry = [
      "    - name: speech",
      "      owners: [speech-leads]",
      "      members: [speech-scientists]",
      "      quota: { cpu: 8, memoryGiB: 32, gpus: 1, storageGiB: 100 }",
      "",
    ].join("\n");
    const dir = projectWithStack("dev", `${dev}${entry}`);
    const run = render(["--stack", "dev"], dir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Team::mlops-team-speech +10/);
    expect(run.stdout).toMatch(/Policies: (no violations|\d+ violations \(0 mandatory, \d+ advisory\))/);
    const files = [...readTree(path.join(dir, "out/dev")).keys()].filter((f) => f.includes("team-speech")).sort();
    expect(files).toEqual([
      "manifests/_cluster/namespace-team-speech.yaml",
      "manifests/team-speech/configmap-mlp-notebook-catalog.yaml",
      "manifests/team-speech/limitrange-team-defaults.yaml",
      "manifests/team-speech/networkpolicy-allow-dns.yaml",
      "manifests/team-speech/networkpolicy-allow-platform-ingress.yaml",
      "manifests/team-speech/networkpolicy-allow-platform-services.yaml",
      "manifests/team-speech/networkpolicy-allow-same-namespace.yaml",
      "manifests/team-speech/networkpolicy-default-deny.yaml",
      "manifests/team-speech/poddefault-gpu-l4-spot.yaml",
      "manifests/team-speech/poddefault-platform-context.yaml",
      "manifests/team-speech/resourcequota-team-quota.yaml",
      "manifests/team-speech/role-ai-gateway-key-writer.yaml",
      "manifests/team-speech/role-notebook-users.yaml",
      "manifests/team-speech/rolebinding-ai-gateway-key-writer.yaml",
      "manifests/team-speech/rolebinding-notebook-users.yaml",
      "manifests/team-speech/rolebinding-team-members.yaml",
      "manifests/team-speech/rolebinding-team-owners.yaml",
    ]);
  });
});

describe("notebooks reached from outside the cluster", () => {
  const stack = (extra: string[]) =>
    [
      "config:",
      "  mlops-platform:environment: prod",
      "  mlops-platform:cluster: { provider: aws, ingressClass: nginx }",
      "  mlops-platform:notebooks:",
      "    access:",
      "      enabled: true",
      "      host: notebooks.example.com",
      '      oidc: { issuerUrl: "https://login.example.com/realms/ml", clientId: mlops-notebooks }',
      "  mlops-platform:teams:",
      "    - { name: vision, owners: [vision-leads], quota: { cpu: 8, memoryGiB: 32, storageGiB: 100 } }",
      ...extra,
      "",
    ].join("\n");

  it("puts an OIDC-protected router behind the IngressClass, opens team namespaces to it alone, and writes no secret", () => {
    const dir = projectWithStack("exposed", stack(["  mlops-platform:notebookOidcClientSecret:", "    secure: v1:AAAA:ciphertext-of-the-client-secret"]));
    const run = render(["--stack", "exposed"], dir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/NotebookAccess::mlops-notebook-access +8/);
    const files = readTree(path.join(dir, "out/exposed"));
    expect(files.get("manifests/mlp-notebook-access/ingress-notebooks.yaml")).toContain("ingressClassName: nginx");
    expect(files.get("manifests/mlp-notebook-access/secret-oauth2-proxy.yaml")).toContain("stringData:\n  client-secret: <secret>\n  cookie-secret: <secret>\n");
    expect(files.get("manifests/mlp-notebook-access/configmap-notebook-router.yaml")).toContain("allowed_groups=vision-leads");
    const ingress = files.get("manifests/team-vision/networkpolicy-allow-platform-ingress.yaml")!;
    expect(ingress).toContain("kubernetes.io/metadata.name: mlp-notebook-access");
    for (const [file, text] of files) {
      expect(text, file).not.toContain("ciphertext-of-the-client-secret");
      expect(text, file).not.toContain("offline-placeholder");
    }
  });

  it("refuses to enable access without the OIDC client secret", () => {
    const run = render(["--stack", "nosecret"], projectWithStack("nosecret", stack([])));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("stacks/Pulumi.nosecret.yaml: mlops-platform:notebookOidcClientSecret: required when notebooks.access is enabled");
  });
});

describe("secrets in the offline render", () => {
  const stackYaml = (kubeconfig: string) =>
    [
      "config:",
      "  mlops-platform:environment: dev",
      "  mlops-platform:cluster:",
      "    provider: aws",
      `  mlops-platform:kubeconfig: ${kubeconfig}`,
      "",
    ].join("\n");

  it("stands in a placeholder for an encrypted value, says so, and never writes it", () => {
    const dir = projectWithStack("ci", stackYaml("\n    secure: v1:AAAABBBBCCCCDDDD:encrypted-kubeconfig"));
    const out = path.join(dir, "out/ci");
    const run = render(["--stack", "ci"], dir);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      "note: encrypted values cannot be decrypted offline; placeholders (marked secret) stand in for mlops-platform:kubeconfig",
    );
    const files = readTree(out);
    const plan = JSON.parse(files.get("plan.json")!);
    const provider = plan.resources.find((r: { type: string }) => r.type === "pulumi:providers:kubernetes");
    expect(provider.inputs.kubeconfig).toBe("<secret>");
    for (const [file, text] of files) {
      expect(text, file).not.toContain("offline-placeholder");
      expect(text, file).not.toContain("encrypted-kubeconfig");
    }
  });

  it("refuses a kubeconfig written in plain text", () => {
    const dir = projectWithStack("ci", stackYaml('"apiVersion: v1"'));
    const run = render(["--stack", "ci"], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("stacks/Pulumi.ci.yaml: mlops-platform:kubeconfig: must be a secret");
  });
});
