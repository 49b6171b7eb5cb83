/**
 * Reading Kubernetes objects as Pulumi hands them to policies: `type` is a token such as
 * `kubernetes:apps/v1:Deployment` and `props` are the object's fields (apiVersion, kind, metadata, spec...).
 *
 * Props come from user programs and are not schema-checked before policies run, so every accessor here
 * tolerates missing or mistyped fields instead of trusting a static type: a policy must report what is
 * wrong, never crash on it.
 */

/** A JSON object as it appears in resource props. */
export type JsonObject = Record<string, unknown>;

/** The object behind `value`, or undefined when it is not a plain object. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** The array behind `value`, or an empty array when it is not one. */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The string behind `value`, or undefined when it is not a string. */
export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Follows `keys` from `value` through nested objects; undefined as soon as a step is not an object. */
export function dig(value: unknown, ...keys: readonly string[]): unknown {
  let current: unknown = value;
  for (const key of keys) {
    const object = asObject(current);
    if (object === undefined) return undefined;
    current = object[key];
  }
  return current;
}

/** The parts of a Kubernetes type token `kubernetes:<group>/<version>:<Kind>`; the core group is `core`. */
export interface KubernetesType {
  group: string;
  version: string;
  kind: string;
}

const KUBERNETES_TYPE = /^kubernetes:([^/:]+)\/([^/:]+):([^/:]+)$/;

/** Parses a Pulumi Kubernetes type token; undefined for anything else (components, other providers). */
export function parseKubernetesType(type: string): KubernetesType | undefined {
  const match = KUBERNETES_TYPE.exec(type);
  if (match === null) return undefined;
  const [, group = "", version = "", kind = ""] = match;
  return { group, version, kind };
}

/** True when `type` is the Kubernetes kind `kind` of API group `group`, in any version. */
export function isKind(type: string, group: string, kind: string): boolean {
  const parsed = parseKubernetesType(type);
  return parsed !== undefined && parsed.group === group && parsed.kind === kind;
}

/**
 * The namespace an object lands in. Pulumi's provider puts objects without `metadata.namespace` into
 * `default` (unless the provider sets another default, which policies cannot see).
 */
export function namespaceOf(props: JsonObject): string {
  return asString(dig(props, "metadata", "namespace")) || "default";
}

/**
 * The Kubernetes name of an object: `metadata.name`, or the Pulumi resource name when the program lets
 * Pulumi auto-name it (the real name then only differs by a random suffix).
 */
export function objectNameOf(props: JsonObject, resourceName: string): string {
  return asString(dig(props, "metadata", "name")) || resourceName;
}

/** A pod spec found inside a workload, with where it sits in the props (for messages). */
export interface PodSpecRef {
  /** Dotted path inside props, e.g. `spec.template.spec`. */
  path: string;
  spec: JsonObject;
}

// Where each workload kind keeps its pod spec, keyed `<group>/<Kind>`.
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  "core/Pod": ["spec"],
  "core/PodTemplate": ["template", "spec"],
  "core/ReplicationController": ["spec", "template", "spec"],
  "apps/Deployment": ["spec", "template", "spec"],
  "apps/StatefulSet": ["spec", "template", "spec"],
  "apps/DaemonSet": ["spec", "template", "spec"],
  "apps/ReplicaSet": ["spec", "template", "spec"],
  "batch/Job": ["spec", "template", "spec"],
  "batch/CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
  "kubeflow.org/Notebook": ["spec", "template", "spec"],
};

// Custom resources we do not know that follow the Deployment shape (spec.template.spec) are still checked.
const CONVENTIONAL_POD_SPEC_PATH = ["spec", "template", "spec"] as const;

/**
 * Finds the pod specs of any workload: Pod (`spec`), Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * ReplicationController and Kubeflow Notebook (`spec.template.spec`), CronJob
 * (`spec.jobTemplate.spec.template.spec`), and any other custom resource whose `spec.template.spec` has
 * containers. `*Patch` and `*List` types are skipped: a patch carries a partial object, so "missing"
 * fields would be false alarms; the full object is checked where it is defined.
 */
export function findPodSpecs(type: string, props: JsonObject): PodSpecRef[] {
  const parsed = parseKubernetesType(type);
  if (parsed === undefined || /(Patch|List)$/.test(parsed.kind)) return [];
  const known = POD_SPEC_PATHS[`${parsed.group}/${parsed.kind}`];
  const path = known ?? CONVENTIONAL_POD_SPEC_PATH;
  const spec = asObject(dig(props, ...path));
  if (spec === undefined) return [];
  if (known === undefined && !Array.isArray(spec["containers"])) return [];
  return [{ path: path.join("."), spec }];
}

/** A container found in props, with enough context to name it in a message. */
export interface ContainerRef {
  /** How a message names it, e.g. `container "app"` or `init container "migrate"`. */
  label: string;
  /** Dotted path inside props, e.g. `spec.template.spec.containers[0]`. */
  path: string;
  container: JsonObject;
  /** The field holding its ResourceRequirements: `resources`, or `resourcesPerNode` for a TrainJob trainer. */
  resourcesField: string;
  /**
   * True when an absent resources field is inherited from elsewhere (a TrainJob's trainer gets them from
   * its training runtime), so only a resources field that is present must be complete.
   */
  resourcesInherited: boolean;
}

const CONTAINER_LISTS = [
  { field: "containers", noun: "container" },
  { field: "initContainers", noun: "init container" },
] as const;

/** The containers and init containers of one pod spec. */
export function containersOf(pod: PodSpecRef): ContainerRef[] {
  return CONTAINER_LISTS.flatMap(({ field, noun }) =>
    asList(pod.spec[field]).flatMap((item, index) => {
      const container = asObject(item);
      if (container === undefined) return [];
      const name = asString(container["name"]) ?? `#${index}`;
      return [
        {
          label: `${noun} "${name}"`,
          path: `${pod.path}.${field}[${index}]`,
          container,
          resourcesField: "resources",
          resourcesInherited: false,
        },
      ];
    }),
  );
}

/**
 * Container-like parts of a Kubeflow Trainer TrainJob (`trainer.kubeflow.org`): the trainer (image, env,
 * resourcesPerNode) and the dataset/model initializers (env). Their pods come from a training runtime, so
 * only what the TrainJob itself sets is checked.
 */
function trainJobContainers(props: JsonObject): ContainerRef[] {
  const parts = [
    { path: ["spec", "trainer"], label: "trainer" },
    { path: ["spec", "initializer", "dataset"], label: "dataset initializer" },
    { path: ["spec", "initializer", "model"], label: "model initializer" },
  ];
  return parts.flatMap(({ path, label }) => {
    const container = asObject(dig(props, ...path));
    if (container === undefined) return [];
    return [{ label, path: path.join("."), container, resourcesField: "resourcesPerNode", resourcesInherited: true }];
  });
}

/** Every container of a resource, whatever its kind: pod spec containers, init containers, TrainJob parts. */
export function findContainers(type: string, props: JsonObject): ContainerRef[] {
  if (isKind(type, "trainer.kubeflow.org", "TrainJob")) return trainJobContainers(props);
  return findPodSpecs(type, props).flatMap(containersOf);
}
