/**
 * Runs a policy pack over resources without the Pulumi CLI, the way `pulumi preview --policy-pack` would:
 * config is reconciled like the engine does (schema defaults, then `all`, then per-policy entries), and
 * each policy gets the same argument objects @pulumi/policy 1.21.0's server builds (server.js:
 * makeAnalyzeRpcFun, makeAnalyzeStackRpcFun, makeGetConfigFun, makeReportViolationFun). So rule code
 * cannot tell the two apart, and the offline render reports what a preview would.
 *
 * Differences, on purpose: props are used as given (no unknown-value proxy: offline values are all known),
 * and validations must be synchronous so evaluation stays a pure function.
 */
import type {
  EnforcementLevel,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { ViolationLevel } from "./enforcement.js";
import { asString } from "./kubernetes.js";

/** A policy as @pulumi/policy defines it: resource or stack validation. */
export type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** One resource of a stack, as the offline render captured it. */
export interface OfflineResource {
  /** Type token, e.g. `kubernetes:apps/v1:Deployment`. */
  type: string;
  /** Logical (Pulumi) name. */
  name: string;
  urn: string;
  /** The resource's inputs: for Kubernetes objects, apiVersion, kind, metadata, spec... */
  props: Record<string, unknown>;
  /**
   * URN of the parent resource.
   * @default none
   */
  parent?: string;
  /**
   * URNs of the resources this one depends on.
   * @default []
   */
  dependencies?: readonly string[];
  /**
   * Whether the resource is protected.
   * @default false
   */
  protect?: boolean;
}

/** One entry of a policy pack config file: an enforcement level, or an object with settings. */
export interface PolicyConfigEntry {
  enforcementLevel?: EnforcementLevel;
  [setting: string]: unknown;
}

/** The JSON document `pulumi preview --policy-pack-config <file>` reads: policy name (or `all`) to entry. */
export type PackConfigDocument = Record<string, EnforcementLevel | PolicyConfigEntry>;

/** One policy violation, as a preview would report it. */
export interface Violation {
  /** The policy's id (its Pulumi policy name). */
  policy: string;
  enforcementLevel: ViolationLevel;
  /** `<type>::<name>` of the offending resource, or "" for a stack-level violation. */
  resource: string;
  /** URN of the offending resource, or "" for a stack-level violation. */
  urn: string;
  /** What is wrong and how to fix it. */
  message: string;
}

interface ReconciledConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

// The server's NotApplicableError is not exported; this plays its part.
class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

function schemaDefaults(policy: AnyPolicy): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (schema.default !== undefined) defaults[key] = structuredClone(schema.default);
  }
  return defaults;
}

function entryOf(value: EnforcementLevel | PolicyConfigEntry | undefined): PolicyConfigEntry {
  if (value === undefined) return {};
  return typeof value === "string" ? { enforcementLevel: value } : value;
}

/**
 * Reconciles a pack config document with the policies like the engine's ReconcilePolicyPackConfig: each
 * policy starts from its schema defaults and its level (or the pack's), `all` sets every level, then each
 * policy's own entry overrides the level and merges its settings.
 */
export function reconcileConfig(
  policies: readonly AnyPolicy[],
  packEnforcementLevel: EnforcementLevel,
  document: PackConfigDocument,
): Map<string, ReconciledConfig> {
  const allLevel = entryOf(document["all"]).enforcementLevel;
  const result = new Map<string, ReconciledConfig>();
  for (const policy of policies) {
    const { enforcementLevel: ownLevel, ...settings } = entryOf(document[policy.name]);
    result.set(policy.name, {
      enforcementLevel: ownLevel ?? allLevel ?? policy.enforcementLevel ?? packEnforcementLevel,
      properties: { ...schemaDefaults(policy), ...structuredClone(settings) },
    });
  }
  return result;
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const candidate = resourceClass as { __pulumiType?: unknown; isInstance?: unknown } | undefined;
  const pulumiType = candidate?.__pulumiType;
  if (typeof pulumiType === "string" && pulumiType.length > 0) return type === pulumiType;
  const isInstance = candidate?.isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function resourceOptions(resource: OfflineResource): PolicyResourceOptions {
  const options: PolicyResourceOptions = {
    protect: resource.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
  if (resource.parent) options.parent = resource.parent;
  return options;
}

// Built once per call, like the server's frozen stackTags (empty until the engine sends tags).
function emptyStackTags(): ReadonlyMap<string, string> {
  return Object.freeze(new Map<string, string>());
}

function resourceArgs(
  resource: OfflineResource,
  getConfig: () => Record<string, unknown>,
  stackTags: ReadonlyMap<string, string>,
): ResourceValidationArgs {
  const { type, props } = resource;
  return {
    type,
    props,
    urn: resource.urn,
    name: resource.name,
    opts: resourceOptions(resource),
    stackTags,
    isType: (resourceClass) => isTypeOf(type, resourceClass),
    asType: ((resourceClass: unknown) => (isTypeOf(type, resourceClass) ? props : undefined)) as ResourceValidationArgs["asType"],
    getConfig: getConfig as ResourceValidationArgs["getConfig"],
    notApplicable: throwNotApplicable,
  };
}

/** Stack resources with parents and dependencies linked to each other, as the server links them. */
function stackResources(resources: readonly OfflineResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const linked = resources.map((resource) => {
    const { type, props } = resource;
    const policyResource: PolicyResource = {
      type,
      props,
      urn: resource.urn,
      name: resource.name,
      opts: resourceOptions(resource),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => isTypeOf(type, resourceClass),
      asType: ((resourceClass: unknown) => (isTypeOf(type, resourceClass) ? props : undefined)) as PolicyResource["asType"],
    };
    byUrn.set(resource.urn, policyResource);
    return { resource, policyResource };
  });
  for (const { resource, policyResource } of linked) {
    const parent = resource.parent === undefined ? undefined : byUrn.get(resource.parent);
    if (parent !== undefined) policyResource.parent = parent;
    policyResource.dependencies = (resource.dependencies ?? []).flatMap((urn) => byUrn.get(urn) ?? []);
  }
  return linked.map(({ policyResource }) => policyResource);
}

function toViolationLevel(level: EnforcementLevel): ViolationLevel {
  // Like the server: a violation left after remediation (or from a stack policy) is mandatory.
  return level === "advisory" ? "advisory" : "mandatory";
}

/** Collects violations like the server's makeReportViolationFun, accepting its string and object forms. */
function violationCollector(
  policy: AnyPolicy,
  level: ViolationLevel,
  locate: (urn: string | undefined) => { resource: string; urn: string },
  into: Violation[],
): ReportViolation {
  return (report: unknown, urn?: string) => {
    const object = typeof report === "object" && report !== null ? (report as Record<string, unknown>) : undefined;
    const message = object === undefined ? report : object["message"];
    const reportedLevel = object?.["enforcementLevel"];
    into.push({
      policy: policy.name,
      enforcementLevel: reportedLevel === "advisory" || reportedLevel === "mandatory" ? reportedLevel : level,
      ...locate(object === undefined ? urn : asString(object["urn"])),
      message: typeof message === "string" && message.length > 0 ? message : policy.description,
    });
  };
}

function runValidation(policy: AnyPolicy, where: string, validation: () => unknown): void {
  try {
    const result = validation();
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
      throw new Error("offline evaluation needs synchronous validations, and this one returned a promise");
    }
  } catch (error) {
    if (error instanceof NotApplicableError) return;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`policy "${policy.name}" failed on ${where}: ${reason}`, { cause: error });
  }
}

function isResourcePolicy(policy: AnyPolicy): policy is ResourceValidationPolicy {
  return "validateResource" in policy && policy.validateResource !== undefined;
}

function isStackPolicy(policy: AnyPolicy): policy is StackValidationPolicy {
  return "validateStack" in policy && typeof policy.validateStack === "function";
}

/** `<type>::<name>`: how violations name a resource. */
export function resourceLabel(resource: Pick<OfflineResource, "type" | "name">): string {
  return `${resource.type}::${resource.name}`;
}

function compareViolations(a: Violation, b: Violation): number {
  const keys = ["policy", "resource", "urn", "message", "enforcementLevel"] as const;
  for (const key of keys) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  return 0;
}

/** Options of `runPolicyPack`. */
export interface RunOptions {
  /** The pack's default level, for policies that set none (as in `new PolicyPack(..., { enforcementLevel })`). */
  packEnforcementLevel: EnforcementLevel;
  /**
   * The policy pack config document, as a `--policy-pack-config` file would hold it.
   * @default {}
   */
  config?: PackConfigDocument;
}

/** What one policy run needs besides the policy itself. */
interface PolicyRun {
  resources: readonly OfflineResource[];
  level: ViolationLevel;
  getConfig: () => Record<string, unknown>;
  stackTags: ReadonlyMap<string, string>;
  violations: Violation[];
}

function runResourcePolicy(policy: ResourceValidationPolicy, run: PolicyRun): void {
  const validations = [policy.validateResource ?? []].flat();
  for (const resource of run.resources) {
    // The engine always attributes a resource policy's violations to the resource being validated.
    const located = { resource: resourceLabel(resource), urn: resource.urn };
    const report = violationCollector(policy, run.level, () => located, run.violations);
    for (const validate of validations) {
      runValidation(policy, located.resource, () => validate(resourceArgs(resource, run.getConfig, run.stackTags), report));
    }
  }
}

function runStackPolicy(policy: StackValidationPolicy, run: PolicyRun): void {
  const byUrn = new Map(run.resources.map((resource) => [resource.urn, resource]));
  const locate = (urn: string | undefined) => {
    const resource = urn === undefined ? undefined : byUrn.get(urn);
    return resource === undefined ? { resource: "", urn: urn ?? "" } : { resource: resourceLabel(resource), urn: resource.urn };
  };
  const args: StackValidationArgs = {
    resources: stackResources(run.resources),
    getConfig: run.getConfig as StackValidationArgs["getConfig"],
    stackTags: run.stackTags,
    notApplicable: throwNotApplicable,
  };
  const report = violationCollector(policy, run.level, locate, run.violations);
  runValidation(policy, "the stack", () => policy.validateStack(args, report));
}

/**
 * Runs every policy over `resources` and returns the violations, sorted by policy, resource, URN and
 * message so the output does not depend on the order of `resources` or `policies`.
 */
export function runPolicyPack(
  resources: readonly OfflineResource[],
  policies: readonly AnyPolicy[],
  options: RunOptions,
): Violation[] {
  const configs = reconcileConfig(policies, options.packEnforcementLevel, options.config ?? {});
  const stackTags = emptyStackTags();
  const violations: Violation[] = [];
  for (const policy of policies) {
    const config = configs.get(policy.name);
    if (config === undefined || config.enforcementLevel === "disabled") continue;
    const run: PolicyRun = {
      resources,
      level: toViolationLevel(config.enforcementLevel),
      // Like makeGetConfigFun: a fresh object of the settings, without the enforcement level.
      getConfig: () => ({ ...config.properties }),
      stackTags,
      violations,
    };
    if (isResourcePolicy(policy)) runResourcePolicy(policy, run);
    else if (isStackPolicy(policy)) runStackPolicy(policy, run);
  }
  return violations.sort(compareViolations);
}
