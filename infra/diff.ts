/**
 * `npm run diff -- --base <render dir> --head <render dir>`: what a change does to an environment, from two
 * offline renders (`npm run render -- --stack <env> --out <dir>`) of the base and head of a pull request,
 * as Markdown for a PR comment: objects added, changed (with the changed fields) and removed, grouped by
 * platform component and namespace; replacements (delete and create) called out with the field that forces
 * each; the GPU cost delta; policy violations the change brings and those it fixes.
 *
 * A render dir is one stack's output (it holds plan.json) or a folder of them (`out/`: one sub-folder per
 * stack); with folders, each stack gets its own section. Exits 0 with the Markdown on stdout, 2 on bad usage
 * or a folder that holds no render.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { StackCost } from "@mlops-platform/components";
import type { Plan, PlanResource } from "@mlops-platform/components/testing";
import { formatUsd } from "./cost.js";
import type { PlanViolation } from "./policy-check.js";

/** A render's plan.json as the diff reads it: resources, and the sections the render adds. */
export interface RenderedPlan extends Plan {
  violations?: PlanViolation[];
  cost?: StackCost;
}

/** What happens to one object. */
export type ChangeAction = "create" | "update" | "replace" | "delete";

/** One changed field: its path in the resource's inputs, with the old and new value (undefined: absent). */
export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** One object the change creates, updates, replaces or deletes. */
export interface ObjectChange {
  action: ChangeAction;
  /** `<type>::<name>`: how Pulumi tells resources apart (with the parent, which a replacement may name). */
  key: string;
  type: string;
  name: string;
  /** What a reader knows the object by: `Deployment ai-gateway`, `helm chart kube-prometheus-stack`. */
  title: string;
  /** `<Class>::<name>` of its platform component, or empty outside any. */
  component: string;
  /** Its Kubernetes namespace, or empty for cluster-scoped objects and resources outside Kubernetes. */
  namespace: string;
  /** Changed fields (update and replace), sorted by path. */
  fields: FieldChange[];
  /** Why an update is a replacement: the fields (or the parent) that force it. */
  replaceReasons: string[];
}

/** Where a violation is: the same rule about the same resource, in either render. */
const violationSite = (v: PlanViolation): string => `${v.policy}\u0000${v.resource}`;

/**
 * New, fixed, changed and unchanged violations. Per rule and resource, messages in both renders are
 * unchanged; of the rest, each message gone is paired with a message come as one changed violation (the
 * rule still fails there, for other reasons), and what is left over is new or fixed.
 */
export function compareViolations(base: readonly PlanViolation[], head: readonly PlanViolation[]) {
  const sites = [...new Set([...base, ...head].map(violationSite))];
  const result = { newViolations: [] as PlanViolation[], fixedViolations: [] as PlanViolation[], changedViolations: [] as PlanViolation[], remainingViolations: 0 };
  for (const site of sites) {
    const was = base.filter((v) => violationSite(v) === site);
    const now = head.filter((v) => violationSite(v) === site);
    const gone = was.filter((v) => !now.some((n) => n.message === v.message));
    const come = now.filter((v) => !was.some((w) => w.message === v.message));
    result.remainingViolations += now.length - come.length;
    const paired = Math.min(gone.length, come.length);
    result.changedViolations.push(...come.slice(0, paired));
    result.newViolations.push(...come.slice(paired));
    result.fixedViolations.push(...gone.slice(paired));
  }
  return result;
}

/** What a change does to one stack. */
export interface StackDiff {
  stack: string;
  /** Only in the head render (the stack is new), only in the base (the stack is gone), or in both. */
  presence: "both" | "added" | "removed";
  changes: ObjectChange[];
  cost: { base?: StackCost; head?: StackCost };
  newViolations: PlanViolation[];
  fixedViolations: PlanViolation[];
  /** A rule that still finds the same resource in violation, but says something else (the head's words). */
  changedViolations: PlanViolation[];
  /** Violations in both renders, word for word. */
  remainingViolations: number;
}

/** Resources that are not objects a deployment creates: the stack and the platform's own components. */
function isContainer(resource: PlanResource): boolean {
  return resource.type === "pulumi:pulumi:Stack" || resource.type.startsWith("mlops-platform:index:");
}

/** `kubernetes:apps/v1:Deployment` -> { group: "apps", version: "v1", kind: "Deployment" }. */
function kubernetesType(type: string): { group: string; version: string; kind: string } | undefined {
  const match = /^kubernetes:(?:([^/:]+)\/)?([^/:]+):(\w+)$/.exec(type);
  if (!match) return undefined;
  return { group: match[1] === undefined || match[1] === "core" ? "" : match[1], version: match[2]!, kind: match[3]! };
}

const get = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;

/** The Kubernetes namespace of a resource, from its inputs (`metadata.namespace`, or a release's `namespace`). */
export function namespaceOf(resource: PlanResource): string {
  const metadataNamespace = get(get(resource.inputs, "metadata"), "namespace");
  if (typeof metadataNamespace === "string") return metadataNamespace;
  if (resource.type.startsWith("kubernetes:helm.sh/") || resource.type.startsWith("kubernetes:kustomize/")) {
    const namespace = get(resource.inputs, "namespace");
    if (typeof namespace === "string") return namespace;
  }
  return "";
}

/** How a reader knows the object: its kind and Kubernetes name, a chart by its name, else the Pulumi name. */
export function titleOf(resource: PlanResource): string {
  const k8s = kubernetesType(resource.type);
  const metadataName = get(get(resource.inputs, "metadata"), "name");
  if (resource.type === "kubernetes:helm.sh/v4:Chart" || resource.type === "kubernetes:helm.sh/v3:Release") {
    return `helm chart ${String(get(resource.inputs, "chart") ?? resource.name)} (${resource.name})`;
  }
  if (k8s && typeof metadataName === "string") return `${k8s.kind} ${metadataName}`;
  const kind = resource.type.split(":").pop() ?? resource.type;
  return `${kind} ${resource.name}`;
}

// Fields whose change makes the Kubernetes provider replace the object (delete and create) instead of
// patching it: pulumi-kubernetes' forceNewProperties (provider/pkg/provider/diff.go, v4), with the
// provider as infra/program.ts configures it (ConfigMaps and Secrets not mutable, the provider's default).
// `[*]` matches any list item.
const CONTAINER_FIELDS = [
  "args", "command", "env", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "ports", "readinessProbe",
  "resources", "securityContext", "stdin", "stdinOnce", "terminationMessagePath", "terminationMessagePolicy",
  "tty", "volumeDevices", "volumeMounts", "workingDir",
];
const POD_FIELDS = [
  "spec.affinity", "spec.automountServiceAccountToken", "spec.dnsConfig", "spec.dnsPolicy", "spec.enableServiceLinks",
  "spec.hostAliases", "spec.hostIPC", "spec.hostNetwork", "spec.hostPID", "spec.hostname", "spec.imagePullSecrets",
  "spec.nodeName", "spec.nodeSelector", "spec.overhead", "spec.preemptionPolicy", "spec.priority",
  "spec.priorityClassName", "spec.readinessGates", "spec.restartPolicy", "spec.runtimeClassName", "spec.schedulerName",
  "spec.securityContext", "spec.serviceAccount", "spec.serviceAccountName", "spec.shareProcessNamespace",
  "spec.subdomain", "spec.terminationGracePeriodSeconds", "spec.volumes",
  ...["spec.containers[*]", "spec.initContainers[*]"].flatMap((prefix) => CONTAINER_FIELDS.map((f) => `${prefix}.${f}`)),
];
const SELECTOR = ["spec.selector"];
const FORCE_NEW: Record<string, string[]> = {
  "apps/Deployment": SELECTOR,
  "apps/DaemonSet": SELECTOR,
  "apps/StatefulSet": [...SELECTOR, "spec.podManagementPolicy", "spec.revisionHistoryLimit", "spec.serviceName", "spec.volumeClaimTemplates"],
  "batch/Job": [...SELECTOR, "spec.completions", "spec.parallelism", "spec.template"],
  "/PersistentVolumeClaim": ["spec.accessModes", "spec.selector", "spec.storageClassName", "spec.volumeName"],
  "/Pod": POD_FIELDS,
  "/ResourceQuota": ["spec.scopes"],
  "/Secret": ["type", "stringData", "data"],
  "/ConfigMap": ["data", "binaryData"],
  "/Service": ["spec.clusterIP"],
  "rbac.authorization.k8s.io/RoleBinding": ["roleRef"],
  "rbac.authorization.k8s.io/ClusterRoleBinding": ["roleRef"],
  "storage.k8s.io/StorageClass": ["parameters", "provisioner"],
};

/** The fields whose change replaces a resource of this type; `undefined` for "every input" (random). */
export function replacingFields(type: string): string[] | undefined {
  // Every input of the random provider's resources forces a new value.
  if (type.startsWith("random:")) return undefined;
  // A v3 release is replaced when its name or namespace changes (pulumi-kubernetes helm_release.go).
  if (type === "kubernetes:helm.sh/v3:Release") return ["name", "namespace"];
  const k8s = kubernetesType(type);
  // Remote components (v4 charts, kustomize directories) and patches update what they contain.
  if (!k8s || type.startsWith("kubernetes:helm.sh/v4:") || type.startsWith("kubernetes:kustomize/") || k8s.kind.endsWith("Patch")) return [];
  return ["metadata.name", "metadata.namespace", ...(FORCE_NEW[`${k8s.group}/${k8s.kind}`] ?? [])];
}

/** Whether a changed field's path is (inside) a field that forces replacement. */
function forcesReplacement(fieldPath: string, forceNew: readonly string[]): string | undefined {
  const general = fieldPath.replace(/\[[^\]]*\]/g, "[*]");
  return forceNew.find((f) => general === f || general.startsWith(`${f}.`) || general.startsWith(`${f}[`));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const property = (at: string, key: string): string => (/^[A-Za-z_$][\w$-]*$/.test(key) ? (at ? `${at}.${key}` : key) : `${at}[${JSON.stringify(key)}]`);

/** A list item's label in a path: `[name=gateway]` when every item of both lists has a unique name, else `[i]`. */
function namedItems(before: unknown[], after: unknown[]): Map<string, [unknown, unknown]> | undefined {
  const names = (list: unknown[]): string[] | undefined => {
    const found = list.map((item) => get(item, "name"));
    return found.every((n): n is string => typeof n === "string") && new Set(found).size === found.length ? found : undefined;
  };
  const [was, now] = [names(before), names(after)];
  if (!was || !now || (before.length === 0 && after.length === 0)) return undefined;
  const items = new Map<string, [unknown, unknown]>();
  was.forEach((name, i) => items.set(name, [before[i], undefined]));
  now.forEach((name, i) => items.set(name, [items.get(name)?.[0], after[i]]));
  return items;
}

/**
 * Every changed leaf between two input values, at its path (`spec.template.spec.containers[name=gateway].image`).
 * Lists of named items (containers, env, ports, volumes) are matched by name, other lists by position.
 */
export function fieldChanges(before: unknown, after: unknown, at = ""): FieldChange[] {
  if (same(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldChanges(before[key], after[key], property(at, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const named = namedItems(before, after);
    if (named) return [...named].flatMap(([name, [was, now]]) => fieldChanges(was, now, `${at}[name=${name}]`));
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => fieldChanges(before[i], after[i], `${at}[${i}]`)).flat();
  }
  return [{ path: at, before, after }];
}

/** The change of one resource present in both renders, or undefined when it is unchanged. */
function changeOf(before: PlanResource, after: PlanResource): ObjectChange | undefined {
  const fields = fieldChanges(before.inputs, after.inputs);
  const options = [
    ...(before.protect === after.protect ? [] : [{ path: "(protect)", before: before.protect, after: after.protect }]),
    ...(before.retainOnDelete === after.retainOnDelete ? [] : [{ path: "(retainOnDelete)", before: before.retainOnDelete, after: after.retainOnDelete }]),
  ];
  const parentChanged = before.parent !== after.parent;
  if (fields.length === 0 && options.length === 0 && !parentChanged) return undefined;
  const forceNew = replacingFields(after.type);
  const replaceReasons = [
    ...(parentChanged ? [`parent ${before.parent || "(stack)"} -> ${after.parent || "(stack)"} (a new URN)`] : []),
    ...(forceNew === undefined
      ? fields.map((f) => f.path)
      : [...new Set(fields.map((f) => forcesReplacement(f.path, forceNew)).filter((f): f is string => f !== undefined))]),
  ];
  return {
    ...describe(after),
    action: replaceReasons.length > 0 ? "replace" : "update",
    fields: [...fields, ...options],
    replaceReasons,
  };
}

function describe(resource: PlanResource): Omit<ObjectChange, "action" | "fields" | "replaceReasons"> {
  return {
    key: `${resource.type}::${resource.name}`,
    type: resource.type,
    name: resource.name,
    title: titleOf(resource),
    component: resource.component,
    namespace: namespaceOf(resource),
  };
}

/** What the change from `base` to `head` does to one stack (either may be absent: a stack added or removed). */
export function diffPlans(stack: string, base: RenderedPlan | undefined, head: RenderedPlan | undefined): StackDiff {
  const index = (plan: RenderedPlan | undefined) =>
    new Map((plan?.resources ?? []).filter((r) => !isContainer(r)).map((r) => [`${r.type}::${r.name}`, r]));
  const [was, now] = [index(base), index(head)];
  const changes: ObjectChange[] = [];
  for (const [key, resource] of now) {
    const previous = was.get(key);
    if (!previous) changes.push({ ...describe(resource), action: "create", fields: [], replaceReasons: [] });
    else {
      const change = changeOf(previous, resource);
      if (change) changes.push(change);
    }
  }
  for (const [key, resource] of was) {
    if (!now.has(key)) changes.push({ ...describe(resource), action: "delete", fields: [], replaceReasons: [] });
  }
  changes.sort((a, b) => compare(a.component, b.component) || compare(a.namespace, b.namespace) || compare(a.title, b.title) || compare(a.key, b.key));

  return {
    stack,
    presence: base && head ? "both" : head ? "added" : "removed",
    changes,
    cost: { ...(base?.cost ? { base: base.cost } : {}), ...(head?.cost ? { head: head.cost } : {}) },
    ...compareViolations(base?.violations ?? [], head?.violations ?? []),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- Markdown ----

const usd = formatUsd;
const signedUsd = (value: number): string => (value > 0 ? `+${usd(value)}` : value < 0 ? `-${usd(-value)}` : "±$0.00");

/** A value as a cell shows it: short JSON, `(none)` when absent, `<secret>` as the render masked it. */
function show(value: unknown): string {
  if (value === undefined) return "(none)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const oneLine = text.replace(/\s*\n\s*/g, " ");
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

/** Inline code that survives any backtick or pipe in the value. */
function code(text: string): string {
  const safe = text.replace(/\|/g, "\\|");
  return safe.includes("`") ? `\`\` ${safe} \`\`` : `\`${safe}\``;
}

const SYMBOL: Record<ChangeAction, string> = { create: "+ create", update: "~ update", replace: "+- replace", delete: "- delete" };
/** Fields listed per object before the rest are counted. */
const MAX_FIELDS = 12;

/**
 * The lines only in `before` and only in `after` (a longest-common-subsequence diff), each with its line
 * number: what a reviewer needs from a config file held in a ConfigMap.
 */
export function lineChanges(before: string, after: string): { removed: Array<[number, string]>; added: Array<[number, string]> } {
  const [a, b] = [before.split("\n"), after.split("\n")];
  // Past a few thousand lines a table would be too big to help; compare by position instead.
  if (a.length * b.length > 4_000_000) {
    const length = Math.max(a.length, b.length);
    const differ = Array.from({ length }, (_, i) => i).filter((i) => a[i] !== b[i]);
    return {
      removed: differ.filter((i) => i < a.length).map((i) => [i + 1, a[i]!]),
      added: differ.filter((i) => i < b.length).map((i) => [i + 1, b[i]!]),
    };
  }
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const removed: Array<[number, string]> = [];
  const added: Array<[number, string]> = [];
  let [i, j] = [0, 0];
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) [i, j] = [i + 1, j + 1];
    else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) added.push([++j, b[j - 1]!]);
    else removed.push([++i, a[i - 1]!]);
  }
  return { removed, added };
}

/** A changed field as a cell line; in multi-line text (a config file in a ConfigMap), its changed lines. */
export function describeField(f: FieldChange): string {
  if (typeof f.before === "string" && typeof f.after === "string" && (f.before.includes("\n") || f.after.includes("\n"))) {
    const { removed, added } = lineChanges(f.before, f.after);
    const shown = [...removed.slice(0, 2).map(([n, line]) => `-${n}: ${code(show(line.trim()))}`), ...added.slice(0, 2).map(([n, line]) => `+${n}: ${code(show(line.trim()))}`)];
    const more = removed.length + added.length - shown.length;
    return `${code(f.path)} (${removed.length} line(s) removed, ${added.length} added): ${shown.join(" ")}${more > 0 ? ` and ${more} more` : ""}`;
  }
  return `${code(f.path)}: ${code(show(f.before))} → ${code(show(f.after))}`;
}

function fieldCell(change: ObjectChange): string {
  if (change.action === "create" || change.action === "delete") return "";
  const shown = change.fields.slice(0, MAX_FIELDS).map(describeField);
  if (change.fields.length > MAX_FIELDS) shown.push(`and ${change.fields.length - MAX_FIELDS} more`);
  return shown.join("<br>");
}

function costLines(diff: StackDiff): string[] {
  const { base, head } = diff.cost;
  if (!base && !head) return [];
  const max = [base?.maxMonthlyUsd ?? 0, head?.maxMonthlyUsd ?? 0] as const;
  const idle = [base?.idleMonthlyUsd ?? 0, head?.idleMonthlyUsd ?? 0] as const;
  const lines = [
    `**GPU cost** (USD/month, at each pool's maximum): ${usd(max[0])} → ${usd(max[1])} (${signedUsd(max[1] - max[0])}); ` +
      `idle: ${usd(idle[0])} → ${usd(idle[1])} (${signedUsd(idle[1] - idle[0])})`,
  ];
  const pools = (cost?: StackCost) => new Map((cost?.pools ?? []).map((p) => [p.pool, p]));
  const [was, now] = [pools(base), pools(head)];
  const names = [...new Set([...was.keys(), ...now.keys()])].sort();
  const changed = names.filter((name) => !same(was.get(name), now.get(name)));
  if (changed.length > 0) {
    lines.push("", "| pool | max/month | idle/month |", "|---|---|---|");
    for (const name of changed) {
      const [a, b] = [was.get(name), now.get(name)];
      const cell = (x?: number, y?: number) =>
        x === undefined ? `${usd(y ?? 0)} (new)` : y === undefined ? `${usd(x)} (removed)` : `${usd(x)} → ${usd(y)} (${signedUsd(y - x)})`;
      lines.push(`| ${code(name)} | ${cell(a?.maxMonthlyUsd, b?.maxMonthlyUsd)} | ${cell(a?.idleMonthlyUsd, b?.idleMonthlyUsd)} |`);
    }
  }
  return lines;
}

function violationLine(v: PlanViolation): string {
  return `- **${v.enforcementLevel}** ${code(v.policy)} ${v.resource ? code(v.resource) : "(stack)"}: ${v.message}`;
}

/** The counts line of a stack: `2 to create, 1 to update, 1 to replace, 0 to delete`. */
export function countsLine(diff: StackDiff): string {
  const count = (action: ChangeAction) => diff.changes.filter((c) => c.action === action).length;
  if (diff.changes.length === 0) return "no changes to the stack's objects";
  return `${count("create")} to create, ${count("update")} to update, ${count("replace")} to replace, ${count("delete")} to delete`;
}

/** Options of `formatStackDiff`. */
export interface FormatOptions {
  /**
   * Longest Markdown to produce (a GitHub comment holds 65,536 characters): past it, the per-object tables
   * of the last components give way to a line saying how many objects are not shown.
   * @default 60000
   */
  maxLength?: number;
}

/** One stack's diff as Markdown: the PR comment's body (the workflow adds its marker). */
export function formatStackDiff(diff: StackDiff, options: FormatOptions = {}): string {
  const maxLength = options.maxLength ?? 60_000;
  const presence = diff.presence === "added" ? " (new stack)" : diff.presence === "removed" ? " (stack removed)" : "";
  const head = [`### Stack \`${diff.stack}\`${presence}: ${countsLine(diff)}`, ""];

  const replaced = diff.changes.filter((c) => c.action === "replace");
  if (replaced.length > 0) {
    head.push(`> [!WARNING]`, `> ${replaced.length} object(s) will be **replaced** (deleted, then created again):`);
    for (const c of replaced) head.push(`> - ${code(c.title)}${c.namespace ? ` in ${code(c.namespace)}` : ""}: forced by ${c.replaceReasons.map(code).join(", ")}`);
    head.push("");
  }

  const tail = ["", ...costLines(diff), ""];
  const { newViolations, fixedViolations, changedViolations } = diff;
  if (newViolations.length + fixedViolations.length + changedViolations.length === 0) {
    tail.push(`**Policy violations**: none new, none fixed (${diff.remainingViolations} unchanged)`);
  } else {
    const changed = changedViolations.length > 0 ? `, ${changedViolations.length} changed` : "";
    tail.push(`**Policy violations**: ${newViolations.length} new, ${fixedViolations.length} fixed${changed} (${diff.remainingViolations} unchanged)`);
    if (newViolations.length > 0) tail.push("", "New:", ...newViolations.map(violationLine));
    if (changedViolations.length > 0) tail.push("", "Changed (the rule still fails there; what it says now):", ...changedViolations.map(violationLine));
    if (fixedViolations.length > 0) tail.push("", "Fixed:", ...fixedViolations.map(violationLine));
  }

  // One section per component, one table per namespace inside it.
  const groups = new Map<string, ObjectChange[]>();
  for (const change of diff.changes) {
    const group = change.component || "(outside any platform component)";
    groups.set(group, [...(groups.get(group) ?? []), change]);
  }
  const sections: Array<{ text: string; objects: number }> = [];
  for (const [component, changes] of groups) {
    const lines = [`#### ${component}`, ""];
    const namespaces = [...new Set(changes.map((c) => c.namespace))];
    for (const namespace of namespaces) {
      lines.push(namespace ? `Namespace ${code(namespace)}:` : "Cluster-scoped or outside Kubernetes:", "", "| | object | changed fields |", "|---|---|---|");
      for (const c of changes.filter((x) => x.namespace === namespace)) lines.push(`| ${SYMBOL[c.action]} | ${code(c.title)} | ${fieldCell(c)} |`);
      lines.push("");
    }
    sections.push({ text: lines.join("\n"), objects: changes.length });
  }

  const fixed = head.join("\n").length + tail.join("\n").length;
  const body: string[] = [];
  let used = fixed;
  let hidden = 0;
  for (const [i, section] of sections.entries()) {
    const note = 200;
    if (hidden === 0 && used + section.text.length + 1 + (i < sections.length - 1 ? note : 0) <= maxLength) {
      body.push(section.text);
      used += section.text.length + 1;
    } else hidden += section.objects;
  }
  if (hidden > 0) body.push(`_${hidden} more changed object(s) not shown: the comment would be too long. The workflow's artifact has the full diff._\n`);
  return [...head, ...body, ...tail].join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

// ---- Reading renders ----

/** A render folder that cannot be read: the message says which and why. */
export class RenderDirError extends Error {}

/** The plans of a render folder by stack: one stack's output, or a folder with one sub-folder per stack. */
export function readRenders(dir: string): Map<string, RenderedPlan> {
  const read = (file: string): RenderedPlan => {
    try {
      const plan = JSON.parse(fs.readFileSync(file, "utf8")) as RenderedPlan;
      if (typeof plan.stack !== "string" || !Array.isArray(plan.resources)) throw new Error("no stack and resources");
      return plan;
    } catch (err) {
      throw new RenderDirError(`${file} is not a render's plan.json: ${(err as Error).message}`);
    }
  };
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new RenderDirError(`${dir} is not a folder`);
  if (fs.existsSync(path.join(dir, "plan.json"))) {
    const plan = read(path.join(dir, "plan.json"));
    return new Map([[plan.stack, plan]]);
  }
  const plans = new Map<string, RenderedPlan>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => compare(a.name, b.name))) {
    const file = path.join(dir, entry.name, "plan.json");
    if (entry.isDirectory() && fs.existsSync(file)) {
      const plan = read(file);
      plans.set(plan.stack, plan);
    }
  }
  if (plans.size === 0) throw new RenderDirError(`${dir} holds no render: neither plan.json nor <stack>/plan.json (render with \`npm run render -- --stack <env> --out <dir>\`)`);
  return plans;
}

/** Every stack of either render, diffed; `stack` limits it to one. */
export function diffRenders(base: Map<string, RenderedPlan>, head: Map<string, RenderedPlan>, stack?: string): StackDiff[] {
  const stacks = stack !== undefined ? [stack] : [...new Set([...base.keys(), ...head.keys()])].sort();
  return stacks.map((name) => diffPlans(name, base.get(name), head.get(name)));
}

// ---- CLI ----

export interface DiffOptions {
  base: string;
  head: string;
  /** Only this stack (both folders may hold several). */
  stack?: string;
  /** Write the Markdown here instead of stdout. */
  out?: string;
}

const USAGE = "usage: npm run diff -- --base <render dir> --head <render dir> [--stack <env>] [--out <file.md>]";

export function parseArgs(argv: readonly string[]): DiffOptions | string {
  const options: Partial<DiffOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === "--base") options.base = value();
    else if (flag === "--head") options.head = value();
    else if (flag === "--stack") options.stack = value();
    else if (flag === "--out") options.out = value();
    else if (flag === "--help" || flag === "-h") return USAGE;
    else return `unknown argument "${arg}"\n${USAGE}`;
  }
  if (!options.base || !options.head) return `--base and --head are required\n${USAGE}`;
  return options as DiffOptions;
}

/** The Markdown for a diff run, or the error a user sees; never throws for their mistakes. */
export function runDiff(options: DiffOptions): { exitCode: number; output: string } {
  try {
    const [base, head] = [readRenders(options.base), readRenders(options.head)];
    if (options.stack !== undefined && !base.has(options.stack) && !head.has(options.stack)) {
      return { exitCode: 2, output: `neither render has stack "${options.stack}" (base: ${[...base.keys()].join(", ")}; head: ${[...head.keys()].join(", ")})` };
    }
    return { exitCode: 0, output: diffRenders(base, head, options.stack).map((d) => formatStackDiff(d)).join("\n") };
  } catch (err) {
    if (err instanceof RenderDirError) return { exitCode: 2, output: err.message };
    throw err;
  }
}

function main(): void {
  const parsed = parseArgs(process.argv.slice(2));
  if (typeof parsed === "string") {
    (parsed === USAGE ? console.log : console.error)(parsed);
    process.exit(parsed === USAGE ? 0 : 2);
  }
  const { exitCode, output } = runDiff(parsed);
  if (exitCode !== 0) {
    console.error(output);
    process.exit(exitCode);
  }
  if (parsed.out) fs.writeFileSync(parsed.out, output);
  else process.stdout.write(output);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main();
}
