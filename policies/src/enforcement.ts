/**
 * How strict each rule is where, and how rules receive their settings.
 *
 * Every policy declares the same `environment` config property (plus the settings it reads). A rule that
 * knows its environment reports each violation with the level from its per-environment table; without an
 * environment it reports at the level the engine gave the policy (its static `enforcementLevel`, which is
 * the prod level, or whatever the policy pack config file says).
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

// The JSON schema type of one config property (not re-exported by @pulumi/policy's index).
type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];

/** The platform's environments, as in `mlops-platform:environment` of the stack files. */
export const ENVIRONMENTS = ["local", "dev", "staging", "prod"] as const;

/** One of the platform's environments. */
export type Environment = (typeof ENVIRONMENTS)[number];

/** The levels a violation can carry: advisory warns, mandatory fails the update. */
export type ViolationLevel = "advisory" | "mandatory";

/** A rule's enforcement level in each environment. */
export type EnforcementByEnvironment = Readonly<Record<Environment, ViolationLevel>>;

/**
 * Namespaces where node-level access and GPU tolerations are expected: Kubernetes' own, and the NVIDIA GPU
 * operator's (`gpu-operator` from its Helm chart, `nvidia-gpu-operator` from OperatorHub), whose
 * DaemonSets must run privileged on every GPU node.
 */
export const DEFAULT_SYSTEM_NAMESPACES: readonly string[] = ["kube-system", "gpu-operator", "nvidia-gpu-operator"];

/** Settings rules read from policy config; every field is optional and has a default. */
export interface PolicySettings {
  /**
   * Namespaces exempt from `no-host-access` and `gpu-taint-tolerations`.
   * @default DEFAULT_SYSTEM_NAMESPACES
   */
  systemNamespaces?: readonly string[];
  /**
   * Services allowed to be `LoadBalancer` or `NodePort`, as `namespace/name`.
   * @default []
   */
  allowedExternalServices?: readonly string[];
  /**
   * Most the stack's GPU pools may cost per month at their maxGpus, USD.
   * @default no budget
   */
  gpuMonthlyBudgetUsd?: number;
}

/** The names of the settings in `PolicySettings`. */
export type SettingName = keyof PolicySettings;

/** Settings with defaults filled in, plus the environment when the config names one. */
export interface ResolvedSettings {
  /** Undefined when the config names none: violations then carry the engine's level for the policy. */
  environment: Environment | undefined;
  /** See `PolicySettings.systemNamespaces`. */
  systemNamespaces: readonly string[];
  /** See `PolicySettings.allowedExternalServices`. */
  allowedExternalServices: readonly string[];
  /** See `PolicySettings.gpuMonthlyBudgetUsd`; undefined means no budget. */
  gpuMonthlyBudgetUsd: number | undefined;
}

const ENVIRONMENT_SCHEMA: PolicyConfigJSONSchema = {
  type: "string",
  enum: [...ENVIRONMENTS],
  description:
    "The stack's environment; picks this policy's enforcement level from the pack's per-environment table. " +
    "Unset: the policy's own level (the prod level, or enforcementLevel from this config).",
};

const SETTING_SCHEMAS: Readonly<Record<SettingName, PolicyConfigJSONSchema>> = {
  systemNamespaces: {
    type: "array",
    items: { type: "string" },
    default: [...DEFAULT_SYSTEM_NAMESPACES],
    description: "Namespaces where host access and GPU tolerations are allowed (system add-ons).",
  },
  allowedExternalServices: {
    type: "array",
    items: { type: "string", pattern: "^[^/]+/[^/]+$" },
    default: [],
    description: "LoadBalancer or NodePort Services that are allowed, as namespace/name.",
  },
  gpuMonthlyBudgetUsd: {
    type: "number",
    minimum: 0,
    description: "Most the stack's GPU pools may cost per month at their maxGpus, USD.",
  },
};

/** The config schema of a policy that reads `settings`: always `environment`, plus those settings. */
export function configSchemaFor(settings: readonly SettingName[]): PolicyConfigSchema {
  const properties: Record<string, PolicyConfigJSONSchema> = { environment: ENVIRONMENT_SCHEMA };
  for (const setting of settings) properties[setting] = SETTING_SCHEMAS[setting];
  return { properties };
}

/** True when `value` names one of the platform's environments. */
export function isEnvironment(value: unknown): value is Environment {
  return typeof value === "string" && (ENVIRONMENTS as readonly string[]).includes(value);
}

function readStringList(config: Record<string, unknown>, key: "systemNamespaces" | "allowedExternalServices", fallback: readonly string[]): readonly string[] {
  const value = config[key];
  if (value === undefined) return fallback;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
  throw new Error(`policy config "${key}" must be a list of strings, got ${JSON.stringify(value)}`);
}

function readNumber(config: Record<string, unknown>, key: SettingName): number | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  throw new Error(`policy config "${key}" must be a number of 0 or more, got ${JSON.stringify(value)}`);
}

/**
 * Reads a policy's config (what `getConfig()` returns) into settings with defaults. The engine validates
 * config against the schema before policies run; this checks again because offline evaluation has no engine.
 */
export function readSettings(config: Record<string, unknown>): ResolvedSettings {
  const environment = config["environment"];
  if (environment !== undefined && !isEnvironment(environment)) {
    throw new Error(`policy config "environment" must be one of ${ENVIRONMENTS.join(", ")}, got ${JSON.stringify(environment)}`);
  }
  return {
    environment,
    systemNamespaces: readStringList(config, "systemNamespaces", DEFAULT_SYSTEM_NAMESPACES),
    allowedExternalServices: readStringList(config, "allowedExternalServices", []),
    gpuMonthlyBudgetUsd: readNumber(config, "gpuMonthlyBudgetUsd"),
  };
}

/** Reports one violation; `urn` only matters for stack rules (it attaches the violation to that resource). */
export type Report = (message: string, urn?: string) => void;

// The object form of reportViolation: @pulumi/policy 1.21.0's server accepts it (server.js,
// makeReportViolationFun; pulumi/pulumi-policy#424) and sends its enforcementLevel on the diagnostic, which
// the engine honours per violation. Its TypeScript overload is still private, hence the cast below; the
// contract test in tests/policies exercises it against the installed server.
interface ViolationObject {
  message: string;
  urn?: string;
  enforcementLevel: ViolationLevel;
}

/** A `Report` that sends violations at `level`, or at the engine's level when `level` is undefined. */
export function reporterAt(reportViolation: ReportViolation, level: ViolationLevel | undefined): Report {
  if (level === undefined) return (message, urn) => reportViolation(message, urn);
  const reportObject = reportViolation as unknown as (violation: ViolationObject) => void;
  return (message, urn) =>
    reportObject(urn === undefined ? { message, enforcementLevel: level } : { message, urn, enforcementLevel: level });
}

/** What every rule declares, whether it checks one resource or the whole stack. */
interface RuleSpec {
  /** Stable kebab-case id: the policy name in Pulumi and in pack config files. */
  id: string;
  description: string;
  /** What to do about a violation, in general terms (each message says it for the case at hand). */
  remediationSteps: string;
  enforcement: EnforcementByEnvironment;
  /** Settings the rule reads; they become its config schema. */
  settings: readonly SettingName[];
}

/** A rule that checks one resource at a time. */
export interface ResourceRuleSpec extends RuleSpec {
  check(resource: ResourceValidationArgs, settings: ResolvedSettings, report: Report): void;
}

/** A rule that checks the stack as a whole. */
export interface StackRuleSpec extends RuleSpec {
  check(stack: StackValidationArgs, settings: ResolvedSettings, report: Report): void;
}

// The static level is the prod level: with no config at all, the pack is as strict as production. The
// per-environment table rides along (the engine ignores fields it does not know) so the registry can list
// each rule once and derive the pack's ids and enforcement table from it.
function policyMetadata<Id extends string>(
  spec: RuleSpec & { id: Id },
): {
  name: Id;
  description: string;
  remediationSteps: string;
  enforcementLevel: EnforcementLevel;
  configSchema: PolicyConfigSchema;
  enforcementByEnvironment: EnforcementByEnvironment;
} {
  return {
    name: spec.id,
    description: spec.description,
    remediationSteps: spec.remediationSteps,
    enforcementLevel: spec.enforcement.prod,
    configSchema: configSchemaFor(spec.settings),
    enforcementByEnvironment: spec.enforcement,
  };
}

function levelFor(spec: RuleSpec, settings: ResolvedSettings): ViolationLevel | undefined {
  return settings.environment === undefined ? undefined : spec.enforcement[settings.environment];
}

/**
 * Turns a resource rule into a @pulumi/policy resource policy, whose `name` keeps the id's literal type and
 * whose `enforcementByEnvironment` is the rule's table (`enforcementLevel` is its prod level).
 */
export function resourceRule<const Id extends string>(
  spec: ResourceRuleSpec & { id: Id },
): ResourceValidationPolicy & { readonly name: Id; readonly enforcementByEnvironment: EnforcementByEnvironment } {
  return {
    ...policyMetadata(spec),
    validateResource: (args, reportViolation) => {
      const settings = readSettings(args.getConfig<Record<string, unknown>>());
      spec.check(args, settings, reporterAt(reportViolation, levelFor(spec, settings)));
    },
  };
}

/** Turns a stack rule into a @pulumi/policy stack policy; `name` and `enforcementByEnvironment` as for `resourceRule`. */
export function stackRule<const Id extends string>(
  spec: StackRuleSpec & { id: Id },
): StackValidationPolicy & { readonly name: Id; readonly enforcementByEnvironment: EnforcementByEnvironment } {
  return {
    ...policyMetadata(spec),
    validateStack: (args, reportViolation) => {
      const settings = readSettings(args.getConfig<Record<string, unknown>>());
      spec.check(args, settings, reporterAt(reportViolation, levelFor(spec, settings)));
    },
  };
}
