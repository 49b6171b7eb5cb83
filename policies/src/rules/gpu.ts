/**
 * GPU rules: GPU pods tolerate the GPU taint and nothing else does, GPU pools stay within the stack's budget,
 * and GPU notebooks and TrainJobs run only where a team quota grants GPUs.
 */
import type { PolicyResource } from "@pulumi/policy";
import { resourceRule, stackRule, type Report } from "../enforcement.js";
import {
  asList,
  asObject,
  asString,
  containersOf,
  dig,
  findPodSpecs,
  isKind,
  namespaceOf,
  objectNameOf,
  type JsonObject,
  type PodSpecRef,
} from "../kubernetes.js";
import { ADVISORY_ONLY_LOCALLY, ADVISORY_UNTIL_STAGING, GPU_RESOURCE, inSystemNamespace, objectsIn, usd } from "./common.js";
import { isTeamNamespace } from "./tenancy.js";

// ---------------------------------------------------------------------------------------------------
// gpu-taint-tolerations

function isGpuResource(resourceName: string): boolean {
  // MIG slices (nvidia.com/mig-1g.10gb...) also only exist on the tainted GPU nodes.
  return resourceName === GPU_RESOURCE || resourceName.startsWith("nvidia.com/mig-");
}

function isPositiveQuantity(value: unknown): boolean {
  const amount = typeof value === "number" ? value : Number.parseFloat(asString(value) ?? "");
  return Number.isFinite(amount) && amount > 0;
}

/** True when any container of the pod requests or limits an NVIDIA GPU (or MIG slice). */
export function requestsGpu(pod: PodSpecRef): boolean {
  return containersOf(pod).some((ref) =>
    ["requests", "limits"].some((bound) =>
      Object.entries(asObject(dig(ref.container, "resources", bound)) ?? {}).some(
        ([resourceName, quantity]) => isGpuResource(resourceName) && isPositiveQuantity(quantity),
      ),
    ),
  );
}

interface Toleration {
  key: string;
  operator: string;
  effect: string;
}

function readToleration(item: unknown): Toleration {
  const object = asObject(item) ?? {};
  return {
    key: asString(object["key"]) ?? "",
    // Kubernetes defaults an unset operator to Equal.
    operator: asString(object["operator"]) || "Equal",
    effect: asString(object["effect"]) ?? "",
  };
}

/**
 * True when a toleration lets a pod onto nodes tainted `nvidia.com/gpu:NoSchedule`. The taint's value is
 * cluster-specific, so an Equal toleration is accepted whatever its value.
 */
export function toleratesGpuTaint(item: unknown): boolean {
  const { key, operator, effect } = readToleration(item);
  const coversEffect = effect === "" || effect === "NoSchedule";
  if (key === "") return operator === "Exists" && coversEffect;
  return key === GPU_RESOURCE && (operator === "Exists" || operator === "Equal") && coversEffect;
}

/** True when a toleration could admit a pod to GPU nodes: it names the GPU key, or tolerates every key. */
export function isGpuToleration(item: unknown): boolean {
  const { key, operator } = readToleration(item);
  return key === GPU_RESOURCE || (key === "" && operator === "Exists");
}

function checkGpuPod(pod: PodSpecRef, report: Report): void {
  const tolerations = asList(pod.spec["tolerations"]);
  if (requestsGpu(pod)) {
    if (!tolerations.some(toleratesGpuTaint)) {
      report(
        `pod spec (${pod.path}) requests ${GPU_RESOURCE} but does not tolerate the ${GPU_RESOURCE} taint, ` +
          `so it cannot schedule on GPU nodes: ` +
          `add {key: "${GPU_RESOURCE}", operator: "Exists", effect: "NoSchedule"} to ${pod.path}.tolerations`,
      );
    }
    return;
  }
  tolerations.forEach((toleration, index) => {
    if (!isGpuToleration(toleration)) return;
    report(
      `pod spec (${pod.path}) requests no ${GPU_RESOURCE} but ${pod.path}.tolerations[${index}] tolerates the GPU taint, ` +
        `so it can take GPU nodes from GPU jobs: ` +
        `remove that toleration, or request ${GPU_RESOURCE} if the pod needs a GPU`,
    );
  });
}

/** GPU pods tolerate the GPU taint; other pods do not (outside system namespaces). */
export const gpuTaintTolerations = resourceRule({
  id: "gpu-taint-tolerations",
  description: `Pods requesting ${GPU_RESOURCE} tolerate the ${GPU_RESOURCE} taint, and pods that do not request it do not tolerate it.`,
  remediationSteps:
    `Add a ${GPU_RESOURCE} NoSchedule toleration to GPU pods; ` +
    `remove ${GPU_RESOURCE} and catch-all (operator Exists, no key) tolerations from CPU pods.`,
  enforcement: ADVISORY_UNTIL_STAGING,
  settings: ["systemNamespaces"],
  check({ type, props }, settings, report) {
    if (inSystemNamespace(props, settings)) return;
    for (const pod of findPodSpecs(type, props)) checkGpuPod(pod, report);
  },
});

// ---------------------------------------------------------------------------------------------------
// gpu-cost

/** Annotations the platform's GPU pools carry (components/src/gpu/node-pool-spec.ts writes them). */
export const MAX_MONTHLY_COST_ANNOTATION = "mlops-platform.io/max-monthly-cost-usd";
export const IDLE_MONTHLY_COST_ANNOTATION = "mlops-platform.io/idle-monthly-cost-usd";
/** Environments whose GPU pools must scale to zero when idle. */
const SCALE_TO_ZERO_ENVIRONMENTS: ReadonlySet<string> = new Set(["local", "dev"]);

function isGpuPool(type: string): boolean {
  return isKind(type, "karpenter.sh", "NodePool") || isKind(type, "cloud.google.com", "ComputeClass");
}

function costAnnotation(props: JsonObject, key: string): number {
  const value = Number(asString(dig(props, "metadata", "annotations", key)) ?? "0");
  return Number.isFinite(value) ? value : 0;
}

/**
 * GPU spend stays inside the environment's means: pools in local and dev scale to zero, and the stack's
 * cost at every pool's maxGpus stays under `gpuMonthlyBudgetUsd`. Costs come from the annotations each
 * pool carries, so the rule needs no price table and runs the same in a real preview.
 */
export const gpuCost = stackRule({
  id: "gpu-cost",
  description: "GPU pools scale to zero in local and dev, and the stack's maximum monthly GPU cost stays under its budget.",
  remediationSteps: "Set minNodes: 0 on dev and local pools; lower maxGpus or raise gpu.monthlyBudgetUsd in the stack file.",
  enforcement: ADVISORY_ONLY_LOCALLY,
  settings: ["gpuMonthlyBudgetUsd"],
  check({ resources }, settings, report) {
    const pools = resources.filter((resource) => isGpuPool(resource.type));
    let total = 0;
    for (const pool of pools) {
      const name = objectNameOf(pool.props, pool.name);
      const idle = costAnnotation(pool.props, IDLE_MONTHLY_COST_ANNOTATION);
      total += costAnnotation(pool.props, MAX_MONTHLY_COST_ANNOTATION);
      if (idle > 0 && settings.environment !== undefined && SCALE_TO_ZERO_ENVIRONMENTS.has(settings.environment)) {
        report(
          `GPU pool "${name}" keeps nodes warm at about ${usd(idle)}/month while idle; ${settings.environment} pools must scale to zero: set its minNodes to 0`,
          pool.urn,
        );
      }
    }
    const budget = settings.gpuMonthlyBudgetUsd;
    if (budget !== undefined && total > budget) {
      report(
        `GPU pools can cost up to ${usd(total)}/month at their maxGpus, over the budget of ${usd(budget)}: ` +
          "lower maxGpus or move capacity to spot, or raise gpu.monthlyBudgetUsd in the stack file",
      );
    }
  },
});

// ---------------------------------------------------------------------------------------------------
// gpu-workloads-in-team-namespaces

function trainJobRequestsGpu(props: JsonObject): boolean {
  return ["requests", "limits"].some((bound) =>
    Object.entries(asObject(dig(props, "spec", "trainer", "resourcesPerNode", bound)) ?? {}).some(
      ([resourceName, quantity]) => isGpuResource(resourceName) && isPositiveQuantity(quantity),
    ),
  );
}

function isGpuWorkload(resource: PolicyResource): boolean {
  if (isKind(resource.type, "trainer.kubeflow.org", "TrainJob")) return trainJobRequestsGpu(resource.props);
  if (isKind(resource.type, "kubeflow.org", "Notebook")) return findPodSpecs(resource.type, resource.props).some(requestsGpu);
  return false;
}

function gpuQuotaOf(resources: readonly PolicyResource[], namespace: string): number {
  return objectsIn(resources, namespace, "core", "ResourceQuota").reduce((total, quota) => {
    const hard = asString(dig(quota.props, "spec", "hard", `requests.${GPU_RESOURCE}`));
    return total + (hard === undefined ? 0 : Number.parseFloat(hard) || 0);
  }, 0);
}

/** GPU notebooks and TrainJobs run only in team namespaces whose quota grants GPUs. */
export const gpuWorkloadsInTeamNamespaces = stackRule({
  id: "gpu-workloads-in-team-namespaces",
  description: "Notebooks and TrainJobs that request GPUs live in team namespaces with a GPU quota.",
  remediationSteps: "Create GPU notebooks and TrainJobs in a team namespace, and give that team quota.gpus in the stack file.",
  enforcement: ADVISORY_ONLY_LOCALLY,
  settings: [],
  check({ resources }, _settings, report) {
    const namespaces = new Map(
      resources
        .filter((resource) => isKind(resource.type, "core", "Namespace"))
        .map((resource) => [objectNameOf(resource.props, resource.name), resource] as const),
    );
    for (const workload of resources.filter(isGpuWorkload)) {
      const namespace = namespaceOf(workload.props);
      const kind = parseKind(workload.type);
      const declared = namespaces.get(namespace);
      if (!(declared ? isTeamNamespace(declared.props, namespace) : namespace.startsWith("team-"))) {
        report(`${kind} "${objectNameOf(workload.props, workload.name)}" requests GPUs in "${namespace}", which is not a team namespace: move it to team-<name>`, workload.urn);
      } else if (gpuQuotaOf(resources, namespace) <= 0) {
        report(
          `${kind} "${objectNameOf(workload.props, workload.name)}" requests GPUs in "${namespace}", whose quota grants none: ` +
            `give the team quota.gpus in the stack file`,
          workload.urn,
        );
      }
    }
  },
});

function parseKind(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}
