/**
 * Kubernetes objects as Pulumi registers them (type token + props), for policy tests. Builders start from
 * an object that passes every rule, so each test changes only the field it is about.
 */
import {
  evaluatePolicies,
  type Environment,
  type OfflineResource,
  type PolicyId,
  type PolicySettings,
  type Violation,
} from "@mlops-platform/policies/rules";

export type Props = Record<string, unknown>;

/** A resource of `type` named `name`, with a URN shaped like Pulumi's. */
export function resource(type: string, name: string, props: Props): OfflineResource {
  return { type, name, urn: `urn:pulumi:test::mlops-platform::${type}::${name}`, props };
}

/** A container that sets everything the rules ask for. */
export function container(overrides: Props = {}): Props {
  return {
    name: "app",
    image: "registry.example.com/ml/app:1.4.2",
    resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    ...overrides,
  };
}

/** A pod spec with one compliant container, plus `overrides`. */
export function podSpec(overrides: Props = {}): Props {
  return { containers: [container()], ...overrides };
}

/** A Deployment in `namespace` whose pod spec is `spec`. */
export function deployment(name: string, spec: Props, namespace = "team-vision"): OfflineResource {
  return resource("kubernetes:apps/v1:Deployment", name, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
  });
}

/** An object of `kind` in `namespace` with `spec`, typed `kubernetes:<group/version>:<kind>`. */
export function object(groupVersion: string, kind: string, name: string, namespace: string, fields: Props): OfflineResource {
  const apiVersion = groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion;
  return resource(`kubernetes:${groupVersion}:${kind}`, name, { apiVersion, kind, metadata: { name, namespace }, ...fields });
}

/** A Namespace named `name` with `labels`. */
export function namespace(name: string, labels: Record<string, string> = {}): OfflineResource {
  return resource("kubernetes:core/v1:Namespace", name, { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
}

/** The ResourceQuota and default-deny NetworkPolicy a team namespace needs. */
export function teamGuardrails(ns: string): OfflineResource[] {
  return [
    object("core/v1", "ResourceQuota", `${ns}-quota`, ns, { spec: { hard: { "requests.cpu": "16", "requests.memory": "64Gi" } } }),
    object("networking.k8s.io/v1", "NetworkPolicy", `${ns}-default-deny`, ns, {
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    }),
  ];
}

/** The violations of one rule over `resources` (environment prod unless given). */
export function violationsOf(
  policy: PolicyId,
  resources: readonly OfflineResource[],
  environment: Environment = "prod",
  config: PolicySettings = {},
): Violation[] {
  return evaluatePolicies(resources, { environment, config }).filter((v) => v.policy === policy);
}

/** Just the messages of `violationsOf`. */
export function messagesOf(policy: PolicyId, resources: readonly OfflineResource[], config: PolicySettings = {}): string[] {
  return violationsOf(policy, resources, "prod", config).map((v) => v.message);
}

/** A toleration of the GPU nodes' taint. */
export const GPU_TOLERATION = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };

/** A TrainJob in `ns` asking for two GPUs per node from the runtime torch-distributed-gpu-l4. */
export function gpuTrainJob(ns: string): OfflineResource {
  return object("trainer.kubeflow.org/v1alpha1", "TrainJob", "finetune", ns, {
    spec: { runtimeRef: { name: "torch-distributed-gpu-l4" }, trainer: { resourcesPerNode: { limits: { "nvidia.com/gpu": "2" } } } },
  });
}
