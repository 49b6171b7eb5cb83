/** The cluster section: operators the cluster already runs, the platform's own secrets, what the preflight looks for. */
import { describe, expect, it } from "vitest";
import { clusterRequirementsOf, parsePlatformConfig } from "../../../infra/config.js";
import { FILE, problemsOf } from "../config-helpers.js";

describe("operators the cluster already runs, in the stack file", () => {
  const local = (extra: Record<string, unknown> = {}, cluster: Record<string, unknown> = {}) => ({
    environment: "local",
    cluster: { provider: "kind", ...cluster },
    gateway: { models: [{ name: "chat", provider: "ollama", model: "llama3.2:3b", apiBase: "http://ollama:11434" }] },
    ...extra,
  });

  it("lists the operators it knows when it does not know one", () => {
    expect(problemsOf(local({}, { preinstalledOperators: ["kueue", "prometheus"] }))).toEqual([
      `${FILE}: mlops-platform:cluster.preinstalledOperators[1]: use one of cert-manager, prometheus-operator, cloudnative-pg, barman-cloud-plugin, kueue, kubeflow-trainer, kubeflow-notebooks, nvidia-gpu-operator, got "prometheus"`,
    ]);
  });

  it("reports a monitor asked for without the Prometheus Operator at the stack key, in the component's own words", () => {
    expect(problemsOf(local({ gateway: { ...local().gateway, serviceMonitor: true }, monitoring: { enabled: false } }))).toEqual([
      `${FILE}: mlops-platform:gateway.serviceMonitor: monitors need the Prometheus Operator: enable monitoring (the platform then installs it), declare "prometheus-operator" preinstalled, or leave this unset (monitors are then created exactly when the operator is there), got true`,
    ]);
    // With monitoring (the default) the platform installs the operator, and the monitor follows.
    expect(() => parsePlatformConfig(local({ gateway: { ...local().gateway, serviceMonitor: true } }), FILE)).not.toThrow();
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
