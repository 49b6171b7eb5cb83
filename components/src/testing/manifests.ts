import type { CapturedResource } from "./capture.js";
import { canonical } from "./canonical.js";
import { MASK } from "./secrets.js";

/** A problem found while turning captured resources into manifests or validating them. */
export interface RenderProblem {
  /** `<type>::<name>` of the resource the problem is about. */
  resource: string;
  /** Where the problem was found: converting to a manifest, or validating against a schema. */
  stage: "manifest" | "schema";
  message: string;
}

/** A Kubernetes object a program would apply. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  /** `metadata.name`, or `<logical name>-*` when Pulumi would auto-name the object. */
  name: string;
  /** `metadata.namespace`; undefined for cluster-scoped kinds. */
  namespace?: string;
  /** The object as it would be sent to the API server, secrets masked: what gets written. */
  object: Record<string, unknown>;
  /**
   * The object with secret values in place (Secret payloads still masked key by key), so validators see
   * its real structure. Never written; validators report paths and types, not values.
   */
  unmasked: Record<string, unknown>;
  /** URN of the Pulumi resource that declares it. */
  urn: string;
  /** `<type>::<name>` of that resource. */
  resource: string;
  /** Path of its file below `manifests/`: `<namespace or _cluster>/<kind>-<name>.yaml` (`.patch.yaml` for patches). */
  path: string;
  /**
   * True for a server-side-apply patch (`DeploymentPatch`, ...): a partial object merged into an object
   * that something else creates. Patches are written but not schema-validated, since required fields live elsewhere.
   */
  patch: boolean;
}

/** Kinds that exist outside any namespace (core, and the CRDs the platform uses). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  "APIService",
  "AKSNodeClass",
  "CSIDriver",
  "CSINode",
  "CertificateSigningRequest",
  "ClusterIssuer",
  "ClusterQueue",
  "ClusterRole",
  "ClusterRoleBinding",
  "ClusterTrainingRuntime",
  "ComputeClass",
  "CustomResourceDefinition",
  "EC2NodeClass",
  "FlowSchema",
  "GatewayClass",
  "IngressClass",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "NodePool",
  "PersistentVolume",
  "PriorityClass",
  "PriorityLevelConfiguration",
  "ResourceFlavor",
  "RuntimeClass",
  "StorageClass",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
  "WorkloadPriorityClass",
]);

/** Type tokens of remote components that stand for many objects (expanded by the engine, not under mocks). */
export const RELEASE_TYPES: Readonly<Record<string, string>> = {
  "kubernetes:helm.sh/v4:Chart": "helm.v4.Chart",
  "kubernetes:helm.sh/v3:Release": "helm.v3.Release",
  "kubernetes:kustomize/v2:Directory": "kustomize.v2.Directory",
  "kubernetes:yaml/v2:ConfigFile": "yaml.v2.ConfigFile",
  "kubernetes:yaml/v2:ConfigGroup": "yaml.v2.ConfigGroup",
};

/** `<type>::<name>`: how problems, plans and summaries name a resource. */
export function resourceLabel(resource: Pick<CapturedResource, "type" | "name">): string {
  return `${resource.type}::${resource.name}`;
}

/** True for a captured resource that is one Kubernetes object (not a provider, chart or component). */
export function isKubernetesObject(resource: CapturedResource): boolean {
  return (
    resource.custom &&
    resource.type.startsWith("kubernetes:") &&
    !(resource.type in RELEASE_TYPES) &&
    typeof resource.inputs["apiVersion"] === "string" &&
    typeof resource.inputs["kind"] === "string"
  );
}

/**
 * Turns captured Kubernetes resources into manifests. Secret objects have every `data`/`stringData` value
 * masked whether or not the program marked it secret: a Secret's payload never reaches disk.
 */
export function toManifests(resources: readonly CapturedResource[]): { manifests: Manifest[]; problems: RenderProblem[] } {
  const manifests: Manifest[] = [];
  const problems: RenderProblem[] = [];
  const seenPaths = new Map<string, string>();
  for (const resource of resources) {
    if (!isKubernetesObject(resource)) continue;
    const label = resourceLabel(resource);
    // Masked values, kept keys (from the unmasked payload: a payload marked secret as a whole is masked as a
    // whole in `inputs`), and base64 placeholders for `data`: a masked Secret is still a valid Secret.
    const object = maskSecretPayload(resource.inputs, resource.plainInputs);
    const unmasked = maskSecretPayload(resource.plainInputs, resource.plainInputs);
    const apiVersion = object["apiVersion"] as string;
    const kind = object["kind"] as string;
    const metadata = (object["metadata"] ?? {}) as Record<string, unknown>;
    const name = typeof metadata["name"] === "string" ? metadata["name"] : `${resource.name}-*`;
    const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
    const namespace = typeof metadata["namespace"] === "string" ? metadata["namespace"] : undefined;
    if (clusterScoped && namespace !== undefined) {
      problems.push({ resource: label, stage: "manifest", message: `${kind} is cluster-scoped but sets metadata.namespace "${namespace}"` });
    }
    if (!clusterScoped && namespace === undefined) {
      problems.push({
        resource: label,
        stage: "manifest",
        message: `${kind} "${name}" has no metadata.namespace: it would land in the provider's default namespace; set it explicitly`,
      });
    }
    const folder = clusterScoped ? "_cluster" : (namespace ?? "default");
    const patch = resource.type.endsWith("Patch");
    const path = `${folder}/${kind.toLowerCase()}-${name.replace(/\*/g, "autonamed")}${patch ? ".patch" : ""}.yaml`;
    const previous = seenPaths.get(path);
    if (previous !== undefined) {
      problems.push({ resource: label, stage: "manifest", message: `declares the same object as ${previous} (${path})` });
      continue;
    }
    seenPaths.set(path, label);
    manifests.push({
      apiVersion,
      kind,
      name,
      ...(clusterScoped ? {} : { namespace: namespace ?? "default" }),
      object,
      unmasked,
      urn: resource.urn,
      resource: label,
      path,
      patch,
    });
  }
  manifests.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { manifests, problems };
}

/** `<secret>`, base64-encoded: stands in for `data` values, which the API server requires to be base64. */
const MASK_BASE64 = Buffer.from(MASK).toString("base64");

/** A Secret with every payload value masked; the keys come from `keysFrom` (the unmasked inputs). */
function maskSecretPayload(object: Record<string, unknown>, keysFrom: Record<string, unknown>): Record<string, unknown> {
  if (object["kind"] !== "Secret" || object["apiVersion"] !== "v1") return object;
  const masked = { ...object };
  for (const field of ["data", "stringData"]) {
    const payload = keysFrom[field];
    const mask = field === "data" ? MASK_BASE64 : MASK;
    if (payload && typeof payload === "object" && !Array.isArray(payload)) {
      masked[field] = Object.fromEntries(Object.keys(payload).map((key) => [key, mask]));
    } else if (payload !== undefined) {
      masked[field] = mask;
    }
  }
  return masked;
}

/** A Helm chart, kustomize directory or YAML bundle that a program installs. */
export interface ReleaseRecord {
  /** `<type>::<name>` of the declaring resource. */
  resource: string;
  /** `helm.v4.Chart`, `helm.v3.Release`, `kustomize.v2.Directory`, `yaml.v2.ConfigFile` or `yaml.v2.ConfigGroup`. */
  kind: string;
  chart?: string;
  repository?: string;
  version?: string;
  namespace?: string;
  /** Kustomize directory or YAML file(s). */
  source?: string | string[];
  values?: unknown;
}

/** The charts and bundles a program installs, sorted by resource. */
export function toReleases(resources: readonly CapturedResource[]): ReleaseRecord[] {
  const releases: ReleaseRecord[] = [];
  for (const resource of resources) {
    const kind = RELEASE_TYPES[resource.type];
    if (kind === undefined) continue;
    const inputs = resource.inputs;
    const repositoryOpts = (inputs["repositoryOpts"] ?? {}) as Record<string, unknown>;
    const record: ReleaseRecord = { resource: resourceLabel(resource), kind };
    const set = (key: keyof ReleaseRecord, value: unknown): void => {
      if (value !== undefined && value !== null && value !== "") (record as unknown as Record<string, unknown>)[key] = value;
    };
    set("chart", inputs["chart"]);
    set("repository", repositoryOpts["repo"]);
    set("version", inputs["version"]);
    set("namespace", inputs["namespace"]);
    set("source", inputs["directory"] ?? inputs["file"] ?? inputs["files"]);
    set("values", canonical(inputs["values"]));
    releases.push(record);
  }
  return releases.sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
}
