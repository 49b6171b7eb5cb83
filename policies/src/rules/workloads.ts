/**
 * Rules for every workload, whatever capability created it: container resources, host access, pinned
 * versions, external Services and plaintext secrets.
 */
import { resourceRule, type Report, type ResolvedSettings } from "../enforcement.js";
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
} from "../kubernetes.js";
import { isPlaintextSecret } from "../secrets.js";
import { chartIsSelfVersioned, chartVersionProblem, directoryRefProblem, imagePinProblem, isRemoteDirectory } from "../versions.js";
import { ADVISORY_ONLY_LOCALLY, ADVISORY_UNTIL_STAGING, inSystemNamespace, systemNamespaceHint } from "./common.js";

// Shared wording: every message ends with how to fix it, so these phrases keep fixes consistent.
function describe(ref: ContainerRef): string {
  return `${ref.label} (${ref.path})`;
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
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
export const containerResources = resourceRule({
  id: "container-resources",
  description: "Every container sets cpu and memory requests and limits.",
  remediationSteps:
    "Set resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory " +
    "on every container and init container.",
  enforcement: ADVISORY_UNTIL_STAGING,
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
export const noHostAccess = resourceRule({
  id: "no-host-access",
  description: "No privileged containers, hostPath volumes, hostNetwork, hostPID or hostIPC outside system namespaces.",
  remediationSteps:
    "Remove securityContext.privileged, hostPath volumes and hostNetwork/hostPID/hostIPC; " +
    "node-level add-ons belong in a namespace listed in systemNamespaces.",
  enforcement: ADVISORY_ONLY_LOCALLY,
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
export const pinnedVersions = resourceRule({
  id: "pinned-versions",
  description: "Images, Helm charts and remote kustomize directories are pinned to exact versions.",
  remediationSteps:
    "Give every image a release tag or sha256 digest (not latest), every Helm chart an exact version, " +
    "and every remote kustomize directory ?ref=<tag or commit SHA>.",
  enforcement: ADVISORY_UNTIL_STAGING,
  settings: [],
  check({ type, props }, _settings, report) {
    if (isKind(type, "helm.sh", "Chart") || isKind(type, "helm.sh", "Release")) checkHelmChart(props, report);
    else if (isKind(type, "kustomize", "Directory")) checkKustomizeDirectory(props, report);
    else checkImages(type, props, report);
  },
});

// ---------------------------------------------------------------------------------------------------
// no-external-services

const EXTERNAL_SERVICE_TYPES: ReadonlySet<string> = new Set(["LoadBalancer", "NodePort"]);

/** No LoadBalancer or NodePort Service unless its `namespace/name` is in allowedExternalServices. */
export const noExternalServices = resourceRule({
  id: "no-external-services",
  description: "No LoadBalancer or NodePort Services unless allowed in the policy config.",
  remediationSteps:
    "Use type ClusterIP and expose through the platform's ingress, or list the Service as namespace/name in allowedExternalServices.",
  enforcement: ADVISORY_ONLY_LOCALLY,
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
export const noPlaintextSecrets = resourceRule({
  id: "no-plaintext-secrets",
  description: "No passwords, tokens, API keys or private keys as literals in ConfigMaps or container env.",
  remediationSteps:
    "Keep secret material in Secrets (or an external secret store) and reference it with valueFrom.secretKeyRef or a volume.",
  enforcement: ADVISORY_ONLY_LOCALLY,
  settings: [],
  check({ type, props, name }, _settings, report) {
    if (isKind(type, "core", "ConfigMap")) checkConfigMap(props, name, report);
    for (const ref of findContainers(type, props)) checkEnv(ref, report);
  },
});

