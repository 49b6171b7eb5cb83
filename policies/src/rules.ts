/**
 * The platform's CrossGuard rules, as plain @pulumi/policy policies plus what the offline render needs to
 * run them without the CLI. `index.ts` only wraps `mlopsPolicies` in a PolicyPack; everything testable
 * lives here, because constructing a PolicyPack starts a gRPC server.
 */
import type { EnforcementLevel, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  resourceRule,
  stackRule,
  type EnforcementByEnvironment,
  type Environment,
  type PolicySettings,
  type Report,
  type ResolvedSettings,
  type SettingName,
} from "./enforcement.js";
import { runPolicyPack, type AnyPolicy, type OfflineResource, type PackConfigDocument, type Violation } from "./evaluate.js";
import {
  asList,
  asObject,
  asString,
  containersOf,
  dig,
  findContainers,
  findPodSpecs,
  isKind,
  namespaceOf,
  objectNameOf,
  type ContainerRef,
  type JsonObject,
  type PodSpecRef,
} from "./kubernetes.js";
import { isPlaintextSecret } from "./secrets.js";
import { chartIsSelfVersioned, chartVersionProblem, directoryRefProblem, imagePinProblem, isRemoteDirectory } from "./versions.js";

export * from "./enforcement.js";
export * from "./evaluate.js";
export * from "./kubernetes.js";
export * from "./secrets.js";
export * from "./versions.js";

/** The pack's name, as `pulumi preview --policy-pack` reports it. */
export const PACK_NAME = "mlops-platform";

/** The pack's default level, for a policy that sets none (every policy here sets its own). */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";

/** The stable ids of the rules, in the order the pack runs them. */
export const POLICY_IDS = [
  "container-resources",
  "no-host-access",
  "pinned-versions",
  "team-namespace-guardrails",
  "no-external-services",
  "gpu-taint-tolerations",
  "no-plaintext-secrets",
  "gpu-cost",
  "notebook-culling",
  "gpu-workloads-in-team-namespaces",
  "trainjob-runtime",
  "gateway-fallbacks",
  "gateway-team-budgets",
] as const;

/** One of the rule ids. */
export type PolicyId = (typeof POLICY_IDS)[number];

const ADVISORY_UNTIL_STAGING: EnforcementByEnvironment = { local: "advisory", dev: "advisory", staging: "mandatory", prod: "mandatory" };
const ADVISORY_ONLY_LOCALLY: EnforcementByEnvironment = { local: "advisory", dev: "mandatory", staging: "mandatory", prod: "mandatory" };

/**
 * Default enforcement of each rule per environment. Hygiene rules (resources, pins, quotas, GPU
 * scheduling) only warn in local and dev so experiments stay cheap; rules whose violation is a security
 * exposure (host access, external Services, plaintext secrets) already block in dev, because dev clusters
 * are shared and reachable, and only warn on a laptop cluster.
 */
export const DEFAULT_ENFORCEMENT: Readonly<Record<PolicyId, EnforcementByEnvironment>> = {
  "container-resources": ADVISORY_UNTIL_STAGING,
  "no-host-access": ADVISORY_ONLY_LOCALLY,
  "pinned-versions": ADVISORY_UNTIL_STAGING,
  "team-namespace-guardrails": ADVISORY_UNTIL_STAGING,
  "no-external-services": ADVISORY_ONLY_LOCALLY,
  "gpu-taint-tolerations": ADVISORY_UNTIL_STAGING,
  "no-plaintext-secrets": ADVISORY_ONLY_LOCALLY,
  "gpu-cost": ADVISORY_ONLY_LOCALLY,
  "notebook-culling": ADVISORY_ONLY_LOCALLY,
  "gpu-workloads-in-team-namespaces": ADVISORY_ONLY_LOCALLY,
  "trainjob-runtime": ADVISORY_UNTIL_STAGING,
  // A model without a fallback is an outage when its provider has one; only production must not have any.
  "gateway-fallbacks": { local: "advisory", dev: "advisory", staging: "advisory", prod: "mandatory" },
  "gateway-team-budgets": ADVISORY_UNTIL_STAGING,
};

/** The label that marks a namespace as a team's, whatever its name. */
export const TEAM_LABEL = "mlops-platform.io/team";

/** The extended resource (and taint key) of NVIDIA GPUs. */
export const GPU_RESOURCE = "nvidia.com/gpu";

// Shared wording: every message ends with how to fix it, so these phrases keep fixes consistent.
function describe(ref: ContainerRef): string {
  return `${ref.label} (${ref.path})`;
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function systemNamespaceHint(settings: ResolvedSettings): string {
  const namespaces = settings.systemNamespaces.join(", ");
  return `only system namespaces (${namespaces}) may; add one to systemNamespaces in the policy config if it is a node-level add-on`;
}

function inSystemNamespace(props: JsonObject, settings: ResolvedSettings): boolean {
  return settings.systemNamespaces.includes(namespaceOf(props));
}

// ---------------------------------------------------------------------------------------------------
// container-resources

const RESOURCE_FIELDS = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] as const;

function isQuantity(value: unknown): boolean {
  return typeof value === "number" || (typeof value === "string" && value.trim() !== "");
}

/** The resource fields a container leaves unset, e.g. `resources.limits.memory`. */
export function missingResourceFields(ref: ContainerRef): string[] {
  const resources = ref.container[ref.resourcesField];
  if (resources === undefined && ref.resourcesInherited) return [];
  return RESOURCE_FIELDS.filter((field) => !isQuantity(dig(resources, ...field.split(".")))).map(
    (field) => `${ref.resourcesField}.${field}`,
  );
}

/** Every container sets cpu and memory requests and limits, so the scheduler and quotas can account for it. */
export const containerResources: ResourceValidationPolicy = resourceRule({
  id: "container-resources",
  description: "Every container sets cpu and memory requests and limits.",
  remediationSteps:
    "Set resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory " +
    "on every container and init container.",
  enforcement: DEFAULT_ENFORCEMENT["container-resources"],
  settings: [],
  check({ type, props }, _settings, report) {
    for (const ref of findContainers(type, props)) {
      const missing = missingResourceFields(ref);
      if (missing.length > 0) report(`${describe(ref)} is missing ${missing.join(", ")}: set ${joinAnd(missing)} on ${ref.label}`);
    }
  },
});

// ---------------------------------------------------------------------------------------------------
// no-host-access

const HOST_NAMESPACE_FLAGS = ["hostNetwork", "hostPID", "hostIPC"] as const;

function checkHostFlags(pod: PodSpecRef, settings: ResolvedSettings, report: Report): void {
  for (const flag of HOST_NAMESPACE_FLAGS) {
    if (pod.spec[flag] === true) {
      report(`pod spec (${pod.path}) sets ${flag}: true: remove ${pod.path}.${flag}; ${systemNamespaceHint(settings)}`);
    }
  }
}

function checkHostPathVolumes(pod: PodSpecRef, settings: ResolvedSettings, report: Report): void {
  asList(pod.spec["volumes"]).forEach((item, index) => {
    const volume = asObject(item);
    const hostPath = asString(dig(volume, "hostPath", "path"));
    if (volume?.["hostPath"] === undefined) return;
    const where = `volume "${asString(volume["name"]) ?? index}" (${pod.path}.volumes[${index}])`;
    report(
      `${where} mounts the node's ${hostPath ?? "filesystem"} via hostPath: ` +
        `use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret volume instead; ${systemNamespaceHint(settings)}`,
    );
  });
}

function checkPrivileged(pod: PodSpecRef, settings: ResolvedSettings, report: Report): void {
  for (const ref of containersOf(pod)) {
    if (dig(ref.container, "securityContext", "privileged") === true) {
      report(`${describe(ref)} is privileged: remove securityContext.privileged: true from ${ref.label}; ${systemNamespaceHint(settings)}`);
    }
  }
}

/** No privileged containers, hostPath volumes, hostNetwork, hostPID or hostIPC outside system namespaces. */
export const noHostAccess: ResourceValidationPolicy = resourceRule({
  id: "no-host-access",
  description: "No privileged containers, hostPath volumes, hostNetwork, hostPID or hostIPC outside system namespaces.",
  remediationSteps:
    "Remove securityContext.privileged, hostPath volumes and hostNetwork/hostPID/hostIPC; " +
    "node-level add-ons belong in a namespace listed in systemNamespaces.",
  enforcement: DEFAULT_ENFORCEMENT["no-host-access"],
  settings: ["systemNamespaces"],
  check({ type, props }, settings, report) {
    if (inSystemNamespace(props, settings)) return;
    for (const pod of findPodSpecs(type, props)) {
      checkHostFlags(pod, settings, report);
      checkHostPathVolumes(pod, settings, report);
      checkPrivileged(pod, settings, report);
    }
  },
});

// ---------------------------------------------------------------------------------------------------
// pinned-versions

function checkImages(type: string, props: JsonObject, report: Report): void {
  for (const ref of findContainers(type, props)) {
    const image = asString(ref.container["image"]);
    const problem = image === undefined || image === "" ? undefined : imagePinProblem(image);
    if (image === undefined || problem === undefined) continue;
    const repository = image.replace(/@.*$/, "").replace(/:[^:/]*$/, "");
    report(
      `${describe(ref)} image "${image}" ${problem}: pin ${ref.label} to a release tag or a digest, ` +
        `e.g. "${repository}:<version>" or "${repository}@sha256:<digest>"`,
    );
  }
}

function checkHelmChart(props: JsonObject, report: Report): void {
  const chart = asString(props["chart"]) ?? "";
  if (chartIsSelfVersioned(chart)) return;
  const problem = chartVersionProblem(props["version"]);
  if (problem === undefined) return;
  report(
    `Helm chart "${chart}" ${problem}: ` +
      `set version to an exact chart release (e.g. "1.2.3") so upgrades happen only when you change it`,
  );
}

function checkKustomizeDirectory(props: JsonObject, report: Report): void {
  const directory = asString(props["directory"]);
  if (directory === undefined || !isRemoteDirectory(directory)) return;
  const problem = directoryRefProblem(directory);
  if (problem === undefined) return;
  report(
    `kustomize directory "${directory}" ${problem}: ` +
      `end directory with ?ref=<release tag or commit SHA> so the manifests cannot change under you`,
  );
}

/** Images, Helm charts and remote kustomize directories are pinned to exact versions. */
export const pinnedVersions: ResourceValidationPolicy = resourceRule({
  id: "pinned-versions",
  description: "Images, Helm charts and remote kustomize directories are pinned to exact versions.",
  remediationSteps:
    "Give every image a release tag or sha256 digest (not latest), every Helm chart an exact version, " +
    "and every remote kustomize directory ?ref=<tag or commit SHA>.",
  enforcement: DEFAULT_ENFORCEMENT["pinned-versions"],
  settings: [],
  check({ type, props }, _settings, report) {
    if (isKind(type, "helm.sh", "Chart") || isKind(type, "helm.sh", "Release")) checkHelmChart(props, report);
    else if (isKind(type, "kustomize", "Directory")) checkKustomizeDirectory(props, report);
    else checkImages(type, props, report);
  },
});

// ---------------------------------------------------------------------------------------------------
// team-namespace-guardrails

/** True when a label selector is empty (`{}` or absent), i.e. selects every pod. */
function selectsEverything(selector: unknown): boolean {
  if (selector === undefined) return true;
  const object = asObject(selector);
  if (object === undefined) return false;
  return Object.keys(asObject(object["matchLabels"]) ?? {}).length === 0 && asList(object["matchExpressions"]).length === 0;
}

const WORLD_CIDRS: ReadonlySet<string> = new Set(["0.0.0.0/0", "::/0"]);

function isWildcardPeer(item: unknown): boolean {
  const peer = asObject(item) ?? {};
  const ipBlock = asObject(peer["ipBlock"]);
  if (ipBlock !== undefined) return WORLD_CIDRS.has(asString(ipBlock["cidr"]) ?? "") && asList(ipBlock["except"]).length === 0;
  return peer["namespaceSelector"] !== undefined && selectsEverything(peer["namespaceSelector"]) && selectsEverything(peer["podSelector"]);
}

/** True when an ingress/egress rule lets all traffic through: no port limit and no (or an all-matching) peer. */
function allowsEverything(rule: unknown, peersField: "from" | "to"): boolean {
  const object = asObject(rule) ?? {};
  const peers = asList(object[peersField]);
  return asList(object["ports"]).length === 0 && (peers.length === 0 || peers.some(isWildcardPeer));
}

/**
 * True when a NetworkPolicy denies by default: it selects every pod (`podSelector: {}`), covers both
 * Ingress and Egress, and none of its rules lets everything through (narrow rules such as DNS egress are
 * fine).
 */
export function isDefaultDenyNetworkPolicy(props: JsonObject): boolean {
  const spec = asObject(props["spec"]) ?? {};
  const types = asList(spec["policyTypes"]);
  return (
    selectsEverything(spec["podSelector"]) &&
    types.includes("Ingress") &&
    types.includes("Egress") &&
    !asList(spec["ingress"]).some((rule) => allowsEverything(rule, "from")) &&
    !asList(spec["egress"]).some((rule) => allowsEverything(rule, "to"))
  );
}

/** True when a Namespace belongs to a team: named `team-*` or labelled `mlops-platform.io/team`. */
export function isTeamNamespace(props: JsonObject, name: string): boolean {
  return name.startsWith("team-") || dig(props, "metadata", "labels", TEAM_LABEL) !== undefined;
}

function objectsIn(resources: readonly PolicyResource[], namespace: string, group: string, kind: string): PolicyResource[] {
  return resources.filter((resource) => isKind(resource.type, group, kind) && namespaceOf(resource.props) === namespace);
}

function checkTeamNamespace(namespace: PolicyResource, resources: readonly PolicyResource[], report: Report): void {
  const name = objectNameOf(namespace.props, namespace.name);
  if (!isTeamNamespace(namespace.props, name)) return;
  if (objectsIn(resources, name, "core", "ResourceQuota").length === 0) {
    report(
      `team namespace "${name}" has no ResourceQuota: ` +
        `add a ResourceQuota with metadata.namespace "${name}" capping requests.cpu, requests.memory and requests.${GPU_RESOURCE}`,
      namespace.urn,
    );
  }
  const policies = objectsIn(resources, name, "networking.k8s.io", "NetworkPolicy");
  if (!policies.some((policy) => isDefaultDenyNetworkPolicy(policy.props))) {
    report(
      `team namespace "${name}" has no default-deny NetworkPolicy: ` +
        `add a NetworkPolicy in "${name}" with podSelector {} and policyTypes [Ingress, Egress] and no allow-all rules; ` +
        `allow traffic with narrower policies`,
      namespace.urn,
    );
  }
}

/** Every team namespace has a ResourceQuota and a default-deny NetworkPolicy in this stack. */
export const teamNamespaceGuardrails: StackValidationPolicy = stackRule({
  id: "team-namespace-guardrails",
  description: `Every team namespace (team-* or labelled ${TEAM_LABEL}) has a ResourceQuota and a default-deny NetworkPolicy.`,
  remediationSteps:
    "Create a ResourceQuota and a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] " +
    "in each team namespace, in the same stack.",
  enforcement: DEFAULT_ENFORCEMENT["team-namespace-guardrails"],
  settings: [],
  check({ resources }, _settings, report) {
    for (const namespace of resources.filter((resource) => isKind(resource.type, "core", "Namespace"))) {
      checkTeamNamespace(namespace, resources, report);
    }
  },
});

// ---------------------------------------------------------------------------------------------------
// no-external-services

const EXTERNAL_SERVICE_TYPES: ReadonlySet<string> = new Set(["LoadBalancer", "NodePort"]);

/** No LoadBalancer or NodePort Service unless its `namespace/name` is in allowedExternalServices. */
export const noExternalServices: ResourceValidationPolicy = resourceRule({
  id: "no-external-services",
  description: "No LoadBalancer or NodePort Services unless allowed in the policy config.",
  remediationSteps:
    "Use type ClusterIP and expose through the platform's ingress, or list the Service as namespace/name in allowedExternalServices.",
  enforcement: DEFAULT_ENFORCEMENT["no-external-services"],
  settings: ["allowedExternalServices"],
  check({ type, props, name }, settings, report) {
    if (!isKind(type, "core", "Service")) return;
    const serviceType = asString(dig(props, "spec", "type")) ?? "";
    if (!EXTERNAL_SERVICE_TYPES.has(serviceType)) return;
    const id = `${namespaceOf(props)}/${objectNameOf(props, name)}`;
    if (settings.allowedExternalServices.includes(id)) return;
    report(
      `Service "${id}" is of type ${serviceType}, which exposes it outside the cluster: ` +
        `use type ClusterIP behind the platform's ingress, or add "${id}" to allowedExternalServices in the policy config`,
    );
  },
});

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
export const gpuTaintTolerations: ResourceValidationPolicy = resourceRule({
  id: "gpu-taint-tolerations",
  description: `Pods requesting ${GPU_RESOURCE} tolerate the ${GPU_RESOURCE} taint, and pods that do not request it do not tolerate it.`,
  remediationSteps:
    `Add a ${GPU_RESOURCE} NoSchedule toleration to GPU pods; ` +
    `remove ${GPU_RESOURCE} and catch-all (operator Exists, no key) tolerations from CPU pods.`,
  enforcement: DEFAULT_ENFORCEMENT["gpu-taint-tolerations"],
  settings: ["systemNamespaces"],
  check({ type, props }, settings, report) {
    if (inSystemNamespace(props, settings)) return;
    for (const pod of findPodSpecs(type, props)) checkGpuPod(pod, report);
  },
});

// ---------------------------------------------------------------------------------------------------
// no-plaintext-secrets

const CONFIG_MAP_FIELDS = ["data", "binaryData"] as const;

function checkConfigMap(props: JsonObject, name: string, report: Report): void {
  const id = `${namespaceOf(props)}/${objectNameOf(props, name)}`;
  for (const field of CONFIG_MAP_FIELDS) {
    for (const [key, value] of Object.entries(asObject(props[field]) ?? {})) {
      if (!isPlaintextSecret(key, value)) continue;
      report(
        `ConfigMap "${id}" ${field} key "${key}" looks like a secret and holds a literal value: ` +
          `move it to a Secret (or an external secret store) and mount or reference that instead`,
      );
    }
  }
}

function checkEnv(ref: ContainerRef, report: Report): void {
  asList(ref.container["env"]).forEach((item, index) => {
    const variable = asObject(item) ?? {};
    const name = asString(variable["name"]) ?? "";
    // A valueFrom (secretKeyRef...) is the fix, not a problem.
    if (variable["valueFrom"] !== undefined || !isPlaintextSecret(name, variable["value"])) return;
    report(
      `${describe(ref)} env "${name}" holds a literal secret-looking value: ` +
        `replace ${ref.path}.env[${index}].value with valueFrom.secretKeyRef pointing at a Secret`,
    );
  });
}

/** No secret-looking literals in ConfigMap data or container env values; see secrets.ts for the heuristic. */
export const noPlaintextSecrets: ResourceValidationPolicy = resourceRule({
  id: "no-plaintext-secrets",
  description: "No passwords, tokens, API keys or private keys as literals in ConfigMaps or container env.",
  remediationSteps:
    "Keep secret material in Secrets (or an external secret store) and reference it with valueFrom.secretKeyRef or a volume.",
  enforcement: DEFAULT_ENFORCEMENT["no-plaintext-secrets"],
  settings: [],
  check({ type, props, name }, _settings, report) {
    if (isKind(type, "core", "ConfigMap")) checkConfigMap(props, name, report);
    for (const ref of findContainers(type, props)) checkEnv(ref, report);
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
export const gpuCost: StackValidationPolicy = stackRule({
  id: "gpu-cost",
  description: "GPU pools scale to zero in local and dev, and the stack's maximum monthly GPU cost stays under its budget.",
  remediationSteps: "Set minNodes: 0 on dev and local pools; lower maxGpus or raise gpu.monthlyBudgetUsd in the stack file.",
  enforcement: DEFAULT_ENFORCEMENT["gpu-cost"],
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
          `GPU pool "${name}" keeps nodes warm at about $${idle.toFixed(2)}/month while idle; ${settings.environment} pools must scale to zero: set its minNodes to 0`,
          pool.urn,
        );
      }
    }
    const budget = settings.gpuMonthlyBudgetUsd;
    if (budget !== undefined && total > budget) {
      report(
        `GPU pools can cost up to $${total.toFixed(2)}/month at their maxGpus, over the budget of $${budget.toFixed(2)}: ` +
          "lower maxGpus or move capacity to spot, or raise gpu.monthlyBudgetUsd in the stack file",
      );
    }
  },
});

// ---------------------------------------------------------------------------------------------------
// notebook-culling

/** What the platform's notebook capability names (components/src/notebooks/notebook-spec.ts). */
const NOTEBOOK_CONTROLLER_DEPLOYMENT = "notebook-controller-deployment";

function isNotebookControllerSource(resource: PolicyResource): boolean {
  return isKind(resource.type, "kustomize", "Directory") && (asString(resource.props["directory"]) ?? "").includes("notebook-controller");
}

function cullingEnabledBy(resource: PolicyResource): boolean {
  if (!isKind(resource.type, "apps", "DeploymentPatch")) return false;
  if (objectNameOf(resource.props, resource.name) !== NOTEBOOK_CONTROLLER_DEPLOYMENT) return false;
  return asList(dig(resource.props, "spec", "template", "spec", "containers")).some((container) =>
    asList(dig(container, "env")).some((env) => asString(dig(env, "name")) === "ENABLE_CULLING" && asString(dig(env, "value")) === "true"),
  );
}

/** A notebook controller installed by the stack runs with idle culling on: idle notebooks hold GPUs. */
export const notebookCulling: StackValidationPolicy = stackRule({
  id: "notebook-culling",
  description: "The Kubeflow notebook controller runs with idle culling on (ENABLE_CULLING=true).",
  remediationSteps: "Set notebooks.culling.enabled: true in the stack file (or patch the controller's ENABLE_CULLING env to \"true\").",
  enforcement: DEFAULT_ENFORCEMENT["notebook-culling"],
  settings: [],
  check({ resources }, _settings, report) {
    const controllers = resources.filter(isNotebookControllerSource);
    if (controllers.length === 0 || resources.some(cullingEnabledBy)) return;
    for (const controller of controllers) {
      report(
        `the notebook controller from ${asString(controller.props["directory"])} runs without idle culling, so idle notebooks keep their GPUs: ` +
          `set notebooks.culling.enabled: true (a DeploymentPatch of ${NOTEBOOK_CONTROLLER_DEPLOYMENT} with ENABLE_CULLING "true")`,
        controller.urn,
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
export const gpuWorkloadsInTeamNamespaces: StackValidationPolicy = stackRule({
  id: "gpu-workloads-in-team-namespaces",
  description: "Notebooks and TrainJobs that request GPUs live in team namespaces with a GPU quota.",
  remediationSteps: "Create GPU notebooks and TrainJobs in a team namespace, and give that team quota.gpus in the stack file.",
  enforcement: DEFAULT_ENFORCEMENT["gpu-workloads-in-team-namespaces"],
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

// ---------------------------------------------------------------------------------------------------
// trainjob-runtime

/** TrainJobs name a training runtime the platform ships (a ClusterTrainingRuntime in this stack). */
export const trainJobRuntime: StackValidationPolicy = stackRule({
  id: "trainjob-runtime",
  description: "TrainJobs reference a ClusterTrainingRuntime the platform ships.",
  remediationSteps: "Set spec.runtimeRef.name to one of the platform's runtimes (torch-distributed-cpu, torch-distributed-gpu-<pool>).",
  enforcement: DEFAULT_ENFORCEMENT["trainjob-runtime"],
  settings: [],
  check({ resources }, _settings, report) {
    const shipped = new Set(
      resources
        .filter((resource) => isKind(resource.type, "trainer.kubeflow.org", "ClusterTrainingRuntime"))
        .map((resource) => objectNameOf(resource.props, resource.name)),
    );
    for (const job of resources.filter((resource) => isKind(resource.type, "trainer.kubeflow.org", "TrainJob"))) {
      const runtimeKind = asString(dig(job.props, "spec", "runtimeRef", "kind")) ?? "ClusterTrainingRuntime";
      const runtime = asString(dig(job.props, "spec", "runtimeRef", "name")) ?? "";
      if (runtimeKind !== "ClusterTrainingRuntime" || !shipped.has(runtime)) {
        const offered = shipped.size > 0 ? [...shipped].sort().join(", ") : "none (training is not enabled in this stack)";
        report(`TrainJob "${objectNameOf(job.props, job.name)}" uses runtime ${runtimeKind}/"${runtime}", which the platform does not ship: use one of ${offered}`, job.urn);
      }
    }
  },
});

// ---------------------------------------------------------------------------------------------------
// gateway-fallbacks

/** The annotation the AI gateway writes on its ConfigMap (components/src/gateway/ai-gateway.ts). */
export const MODELS_WITHOUT_FALLBACK_ANNOTATION = "mlops-platform.io/models-without-fallback";

/** Every model the AI gateway serves has a fallback, so one provider's outage is not the platform's. */
export const gatewayFallbacks: ResourceValidationPolicy = resourceRule({
  id: "gateway-fallbacks",
  description: "Every model the AI gateway serves names a fallback model.",
  remediationSteps: "Add fallbacks: [<another model>] to each gateway.models entry in the stack file.",
  enforcement: DEFAULT_ENFORCEMENT["gateway-fallbacks"],
  settings: [],
  check({ type, props }, _settings, report) {
    if (!isKind(type, "core", "ConfigMap")) return;
    const missing = asString(dig(props, "metadata", "annotations", MODELS_WITHOUT_FALLBACK_ANNOTATION));
    if (!missing) return;
    report(`gateway models without a fallback: ${missing.split(",").join(", ")}: add fallbacks: [<another model>] to each in gateway.models`);
  },
});

// ---------------------------------------------------------------------------------------------------
// gateway-team-budgets

/** The annotation a team namespace carries with its monthly gateway budget (components/src/platform). */
export const GATEWAY_BUDGET_ANNOTATION = "mlops-platform.io/gateway-monthly-budget-usd";

/** With an AI gateway in the stack, every team has a monthly gateway budget: no open-ended LLM spend. */
export const gatewayTeamBudgets: StackValidationPolicy = stackRule({
  id: "gateway-team-budgets",
  description: "When the stack runs the AI gateway, every team namespace carries a monthly gateway budget.",
  remediationSteps: "Set teams[].gateway.monthlyBudgetUsd for every team in the stack file.",
  enforcement: DEFAULT_ENFORCEMENT["gateway-team-budgets"],
  settings: [],
  check({ resources }, _settings, report) {
    const hasGateway = resources.some(
      (resource) => isKind(resource.type, "core", "ConfigMap") && dig(resource.props, "metadata", "annotations", MODELS_WITHOUT_FALLBACK_ANNOTATION) !== undefined,
    );
    if (!hasGateway) return;
    for (const namespace of resources.filter((resource) => isKind(resource.type, "core", "Namespace"))) {
      const name = objectNameOf(namespace.props, namespace.name);
      if (!isTeamNamespace(namespace.props, name)) continue;
      const budget = Number.parseFloat(asString(dig(namespace.props, "metadata", "annotations", GATEWAY_BUDGET_ANNOTATION)) ?? "");
      if (!(budget > 0)) {
        report(`team namespace "${name}" has no monthly gateway budget: set teams[].gateway.monthlyBudgetUsd for team "${name.replace(/^team-/, "")}"`, namespace.urn);
      }
    }
  },
});

// ---------------------------------------------------------------------------------------------------
// The pack

/** Every rule, in the order of `POLICY_IDS`: what `index.ts` serves and `evaluatePolicies` runs. */
export const mlopsPolicies: readonly AnyPolicy[] = [
  containerResources,
  noHostAccess,
  pinnedVersions,
  teamNamespaceGuardrails,
  noExternalServices,
  gpuTaintTolerations,
  noPlaintextSecrets,
  gpuCost,
  notebookCulling,
  gpuWorkloadsInTeamNamespaces,
  trainJobRuntime,
  gatewayFallbacks,
  gatewayTeamBudgets,
];

function declaredSettings(policy: AnyPolicy): SettingName[] {
  return Object.keys(policy.configSchema?.properties ?? {}).filter((key): key is SettingName => key !== "environment");
}

function isPolicyId(name: string): name is PolicyId {
  return (POLICY_IDS as readonly string[]).includes(name);
}

/**
 * The policy pack config document for an environment: each policy's level from `DEFAULT_ENFORCEMENT`, the
 * environment, and the settings it declares. Write it to a file for
 * `pulumi preview --policy-pack policies --policy-pack-config <file>`; `evaluatePolicies` uses the same.
 */
export function policyPackConfigFor(environment: Environment, settings: PolicySettings = {}): PackConfigDocument {
  const document: PackConfigDocument = {};
  for (const policy of mlopsPolicies) {
    if (!isPolicyId(policy.name)) continue;
    const entry: Record<string, unknown> = { enforcementLevel: DEFAULT_ENFORCEMENT[policy.name][environment], environment };
    for (const setting of declaredSettings(policy)) {
      const value = settings[setting];
      if (value !== undefined) entry[setting] = Array.isArray(value) ? [...value] : value;
    }
    document[policy.name] = entry;
  }
  return document;
}

/** Options of `evaluatePolicies`. */
export interface EvaluateOptions {
  /** The stack's environment; picks each rule's enforcement level. */
  environment: Environment;
  /**
   * Rule settings, as in the policy pack config.
   * @default {} (DEFAULT_SYSTEM_NAMESPACES, no allowed external Services)
   */
  config?: PolicySettings;
}

/**
 * Runs every rule over a stack's resources offline, exactly as `pulumi preview --policy-pack` with
 * `policyPackConfigFor(environment, config)` would, and returns the violations in a stable order.
 */
export function evaluatePolicies(resources: readonly OfflineResource[], options: EvaluateOptions): Violation[] {
  return runPolicyPack(resources, mlopsPolicies, {
    packEnforcementLevel: PACK_ENFORCEMENT_LEVEL,
    config: policyPackConfigFor(options.environment, options.config),
  });
}
