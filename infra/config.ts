/**
 * The platform's stack configuration: every capability's section of the `mlops-platform:` namespace of
 * `stacks/Pulumi.<stack>.yaml` (one file each in `capabilities/`), environment presets applied first (stack
 * values override), and errors a user can act on: every problem of a file at once, each naming the file,
 * the key path, the bad value and what is allowed.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkMlPlatformArgs, type ComponentArgumentError } from "@mlops-platform/components";
import { z } from "zod";
import { ENVIRONMENTS, valueAt, type Capability, type ClusterRequirement, type Environment } from "./capabilities/capability.js";
import { availability, cluster } from "./capabilities/cluster.js";
import { referencedBackupKeys } from "./capabilities/backup.js";
import { catalog } from "./capabilities/catalog.js";
import { gateway, referencedProviderKeys } from "./capabilities/gateway.js";
import { gpu } from "./capabilities/gpu.js";
import { monitoring, referencedReceiverKeys } from "./capabilities/monitoring.js";
import { notebooks } from "./capabilities/notebooks.js";
import { policies } from "./capabilities/policies.js";
import { teams } from "./capabilities/tenancy.js";
import { training } from "./capabilities/training.js";
import { findCredentials, maskCredentials } from "./credentials.js";
import { platformArgsFrom } from "./platform-args.js";

export { ENVIRONMENTS, type Environment } from "./capabilities/capability.js";
export { CLUSTER_PROVIDERS } from "./capabilities/cluster.js";
export { referencedProviderKeys } from "./capabilities/gateway.js";

export const CONFIG_NAMESPACE = "mlops-platform";

/**
 * The registry: every capability's section, in the order the stack file reads best. A new capability is
 * one file in `capabilities/` and one line here.
 */
const CAPABILITIES = [cluster, availability, gpu, notebooks, training, gateway, catalog, monitoring, policies, teams] as const;

type Sections<C extends readonly Capability[]> = { [Cap in C[number] as Cap["key"]]: Cap["section"] };

function sectionsOf<const C extends readonly Capability[]>(capabilities: C): Sections<C> {
  return Object.fromEntries(capabilities.map((cap) => [cap.key, cap.section])) as Sections<C>;
}

export const platformConfigSchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS),
  ...sectionsOf(CAPABILITIES),
});

/** The validated stack configuration, every preset and default applied. */
export type PlatformConfig = z.infer<typeof platformConfigSchema>;

/**
 * Environment presets, assembled from each capability's own: applied first, then the stack file's values
 * override them. Every value is overridable in the stack file.
 */
export const ENVIRONMENT_PRESETS: Readonly<Record<Environment, Record<string, unknown>>> = Object.fromEntries(
  ENVIRONMENTS.map((environment) => [
    environment,
    Object.fromEntries(CAPABILITIES.flatMap((cap) => (cap.presets ? [[cap.key, cap.presets[environment]]] : []))),
  ]),
) as Record<Environment, Record<string, unknown>>;

/** All problems of one stack file; `message` lists every one, a line each. */
export class ConfigError extends Error {
  constructor(
    public readonly stackFile: string,
    public readonly problems: string[],
  ) {
    super(`${stackFile} has ${problems.length} configuration ${problems.length === 1 ? "error" : "errors"}:\n${problems.join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Every CRD the stack needs the cluster to have already, with the stack key that needs it. */
export function clusterRequirementsOf(config: PlatformConfig): ClusterRequirement[] {
  return CAPABILITIES.flatMap((cap) => cap.clusterRequirements?.(config) ?? []);
}

/**
 * Keys that hold secrets, from every capability. They must be set with `pulumi config set --secret`; the
 * program reads them with `getSecret`, so their values never enter `PlatformConfig` (which is plain and
 * may be logged).
 */
export const SECRET_CONFIG_KEYS: Readonly<Record<string, string>> = Object.assign({}, ...CAPABILITIES.map((cap) => cap.secrets ?? {}));

/**
 * Secret config keys the stack's values name (a gateway model's `apiKey`, a team's alert receivers), each
 * with what to say when it is missing and what it holds: they must be set, as secrets.
 */
export function referencedSecretKeys(raw: Record<string, unknown>): Map<string, { required: string; purpose: string }> {
  const keys = new Map<string, { required: string; purpose: string }>();
  for (const key of referencedProviderKeys(raw)) {
    keys.set(key, { required: `a gateway model's apiKey names it; set it with pulumi config set --secret ${key} <provider key>`, purpose: `a provider key for the AI gateway: pulumi config set --secret ${key} <key>` });
  }
  for (const [key, purpose] of referencedReceiverKeys(raw)) keys.set(key, { required: `monitoring.teamReceivers names it, ${purpose}`, purpose });
  for (const [key, purpose] of referencedBackupKeys(raw)) keys.set(key, { required: `a database's backup.credentials names it, ${purpose}`, purpose });
  return keys;
}

/**
 * Validates raw stack configuration (keys without the `mlops-platform:` prefix) and applies the environment
 * preset. `secretKeys` names the raw keys that are Pulumi secrets. Throws `ConfigError` with every problem
 * when anything is wrong: first the file's own (secrets, unknown keys, types, required keys); once its
 * shape is right, the rules across sections and every component's problem, each at its stack key. Pure:
 * no Pulumi runtime needed.
 */
export function parsePlatformConfig(
  raw: Record<string, unknown>,
  stackFile: string,
  secretKeys: ReadonlySet<string> = new Set(),
): PlatformConfig {
  const problems: string[] = [];
  const plain: Record<string, unknown> = {};
  const referenced = referencedSecretKeys(raw);
  for (const [key, { required }] of referenced) {
    if (!(key in raw)) problems.push(`${stackFile}: ${keyPath([key])}: required: ${required}`);
  }
  for (const [key, value] of Object.entries(raw)) {
    const purpose = SECRET_CONFIG_KEYS[key] ?? referenced.get(key)?.purpose;
    if (purpose === undefined) plain[key] = value;
    else if (!secretKeys.has(key)) {
      problems.push(`${stackFile}: ${keyPath([key])}: must be a secret (${purpose}); it is stored in plain text`);
    }
  }
  // Credentials pasted into plain values: refused, and never quoted back by this or any other message.
  const credentials = findCredentials(plain);
  for (const credential of credentials) {
    problems.push(
      `${stackFile}: ${keyPath(credential.path)}: ${credential.reason}, so it is not shown here and must not be stored in plain text: keep credentials in secret config (pulumi config set --secret <key> <value>) and name that key where the stack takes one (gateway.models[].apiKey)`,
    );
  }
  // Numbers YAML can hold but nothing downstream can: reported here, and no other message about them.
  const unusable = unusableNumbers(plain);
  for (const { path, value } of unusable) problems.push(`${stackFile}: ${keyPath(path)}: ${USABLE_NUMBER}, got ${yamlNumber(value)}`);
  const fail = (): never => {
    throw new ConfigError(stackFile, problems.map((problem) => maskCredentials(problem, credentials)));
  };
  const environment = plain["environment"];
  const preset = typeof environment === "string" && isEnvironment(environment) ? ENVIRONMENT_PRESETS[environment] : {};
  const merged = deepMerge(preset, plain);
  const result = platformConfigSchema.safeParse(merged, { error: (issue) => describeIssue(issue) });
  if (!result.success) {
    const reported = new Set(unusable.map(({ path }) => keyPath(path)));
    problems.push(...result.error.issues.filter((issue) => !reported.has(keyPath(issue.path))).flatMap((issue) => formatIssue(issue, merged, stackFile)));
    return fail();
  }
  if (unusable.length > 0) return fail();
  const config = result.data;
  for (const cap of CAPABILITIES) {
    cap.check?.(config, (path, message) => problems.push(formatCheck(path, message, merged, stackFile)));
  }
  const access = config.notebooks.access;
  if (access.enabled && access.host !== undefined && access.oidc !== undefined && !("notebookOidcClientSecret" in raw)) {
    problems.push(`${stackFile}: ${keyPath(["notebookOidcClientSecret"])}: required when notebooks.access is enabled; ${SECRET_CONFIG_KEYS["notebookOidcClientSecret"]}`);
  }
  const catalogAccess = config.catalog.service.access;
  if (config.catalog.enabled && catalogAccess.enabled && catalogAccess.host !== undefined && catalogAccess.oidc !== undefined && !("catalogOidcClientSecret" in raw)) {
    problems.push(`${stackFile}: ${keyPath(["catalogOidcClientSecret"])}: required when catalog.service.access is enabled; ${SECRET_CONFIG_KEYS["catalogOidcClientSecret"]}`);
  }
  // The components' own checks, on the args this config becomes: one rule, one place, reported here at
  // the stack key that set the value. Secret values do not matter to them: placeholders stand in for
  // every secret, set or not, so a missing one (reported above) hides nothing else.
  const placeholders = Object.fromEntries([...Object.keys(SECRET_CONFIG_KEYS), ...referenced.keys()].map((key) => [key, "<secret>"]));
  const componentProblems = checkMlPlatformArgs(platformArgsFrom(config, placeholders));
  // One stack value can reach several args (availability.replicas): it is reported once.
  problems.push(...new Set(componentProblems.map((problem) => formatComponentProblem(problem, merged, stackFile))));
  if (problems.length > 0) fail();
  return config;
}

/**
 * What a number in a stack file may be: finite, and small enough to keep every digit (2^53 - 1). Past
 * that, a value is not what the file says by the time it reaches Kubernetes (a quota of 1e21 GiB becomes
 * "1e+21Gi", which is no quantity) or a cloud API.
 */
export const USABLE_NUMBER = `expected a finite number from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} (.inf, .nan and larger numbers reach neither Kubernetes nor the cloud intact)`;

/** Whether a stack number survives the way to Kubernetes and the cloud (see USABLE_NUMBER). */
export function isUsableNumber(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER;
}

/** A number as YAML writes it: `.inf`, `-.inf` and `.nan` for the ones JSON has no words for. */
export function yamlNumber(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
  return String(value);
}

/** Every number of the stack's values that is not usable, with its key path. */
function unusableNumbers(value: unknown, path: PropertyKey[] = []): { path: PropertyKey[]; value: number }[] {
  if (typeof value === "number") return isUsableNumber(value) ? [] : [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => unusableNumbers(item, [...path, index]));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([key, item]) => unusableNumbers(item, [...path, key]));
  return [];
}

/** A problem a capability's check found, at the key it names. */
function formatCheck(path: readonly PropertyKey[], message: string, input: unknown, stackFile: string): string {
  const value = valueAt(input, path);
  return value === undefined ? `${stackFile}: ${keyPath(path)}: required; ${message}` : `${stackFile}: ${keyPath(path)}: ${message}, got ${JSON.stringify(value)}`;
}

/** A component's argument problem at the stack key that set the value, showing the stack's own value there. */
function formatComponentProblem(problem: ComponentArgumentError, input: unknown, stackFile: string): string {
  const path = stackPathOf(problem.property, input);
  const value = valueAt(input, path);
  if (value === undefined && problem.value === undefined) return `${stackFile}: ${keyPath(path)}: required; ${problem.fix}`;
  return `${stackFile}: ${keyPath(path)}: ${problem.fix}, got ${JSON.stringify(value === undefined ? problem.value : value)}`;
}

/**
 * The stack key path of an MlPlatform args path (`gpu.pools[0].migProfile` -> gpu, pools, 0, sharing, mig),
 * through the capabilities' `argPaths`; `stack` is the stack's values, for keys that depend on them.
 */
export function stackPathOf(argsPath: string, stack: unknown = {}): PropertyKey[] {
  let stackPath = argsPath;
  for (const cap of CAPABILITIES) {
    const rule = cap.argPaths?.find(([pattern]) => pattern.test(argsPath));
    if (rule) {
      const [pattern, replacement] = rule;
      stackPath = typeof replacement === "string" ? argsPath.replace(pattern, replacement) : argsPath.replace(pattern, (...match: unknown[]) => replacement(stack, ...(match.slice(1, -2) as string[])));
      break;
    }
  }
  return stackPath
    .split(/[.[\]]/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Whether a key path names a key the stack schema has (a list index, a mapping's key, a section's field). */
export function isStackKey(path: readonly PropertyKey[]): boolean {
  let schema: z.core.$ZodType | undefined = platformConfigSchema;
  for (const part of path) {
    schema = schema && unwrap(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.core.$ZodType>)[String(part)];
    else if (schema instanceof z.ZodArray && typeof part === "number") schema = schema.element as z.core.$ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema._zod.def.valueType as z.core.$ZodType;
    else return false;
    if (schema === undefined) return false;
  }
  return true;
}

/**
 * The platform's keys from Pulumi's flat config map (`<namespace>:<key>` to text), prefix removed and
 * structured values decoded from JSON, as `pulumi.Config#getObject` would.
 */
export function rawPlatformConfig(all: Readonly<Record<string, string>>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = decodeConfigValue(value);
  }
  return raw;
}

/** The stack file Pulumi reads for a stack (`stackConfigDir: stacks` in Pulumi.yaml). */
export function stackFileFor(stack: string): string {
  return `stacks/Pulumi.${stack}.yaml`;
}

/**
 * Reads the running stack's configuration from Pulumi (under `pulumi up` or the offline render) and
 * validates it. On bad config it throws a `RunError`, which Pulumi prints without a stack trace.
 */
export function loadPlatformConfig(): PlatformConfig {
  const stackFile = stackFileFor(pulumi.getStack());
  const raw = rawPlatformConfig(pulumi.runtime.allConfig());
  const secretKeys = new Set(Object.keys(raw).filter((key) => isConfigSecret(`${CONFIG_NAMESPACE}:${key}`)));
  try {
    return parsePlatformConfig(raw, stackFile, secretKeys);
  } catch (err) {
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

/** Whether Pulumi holds a config key as a secret. The SDK has this check but does not declare its type. */
function isConfigSecret(fullKey: string): boolean {
  const check = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  if (check === undefined) throw new Error("this @pulumi/pulumi version has no runtime.isConfigSecret");
  return check(fullKey);
}

/** Pulumi hands structured config over as JSON text and scalars as plain text. */
function decodeConfigValue(value: string): unknown {
  const trimmed = value.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

function isEnvironment(value: string): value is Environment {
  return (ENVIRONMENTS as readonly string[]).includes(value);
}

/** Objects merge key by key; anything else (lists included) from `override` replaces `base`. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) out[key] = key in base ? deepMerge(base[key], value) : value;
    return out;
  }
  return override === undefined ? base : override;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/** Messages for structural problems; leaf schemas above carry their own. */
function describeIssue(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "required";
      return `expected ${articleFor(issue.expected)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return undefined;
  }
}

function articleFor(expected: string): string {
  switch (expected) {
    case "object":
      return "a mapping of keys to values";
    case "array":
      return "a list";
    case "boolean":
      return "true or false";
    case "string":
      return "a string";
    case "number":
      return "a number";
    default:
      return expected;
  }
}

function formatIssue(issue: Issue, input: unknown, stackFile: string): string[] {
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeysAt(issue.path);
    return issue.keys.map((key) => {
      const hint = closest(key, allowed);
      const where = keyPath([...issue.path, key]);
      const suggestion = hint ? `did you mean "${hint}"? ` : "";
      return `${stackFile}: ${where}: unknown key; ${suggestion}allowed keys: ${allowed.join(", ")}`;
    });
  }
  const value = valueAt(input, issue.path);
  const where = keyPath(issue.path);
  if (value === undefined) {
    const expected = issue.code === "invalid_value" ? `; ${issue.message}` : issue.message === "required" ? "" : `; ${issue.message}`;
    return [`${stackFile}: ${where}: required${expected}`];
  }
  return [`${stackFile}: ${where}: ${issue.message}, got ${JSON.stringify(value)}`];
}

/** `mlops-platform:teams[1].quota.cpu` */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = CONFIG_NAMESPACE;
  path.forEach((part, index) => {
    if (typeof part === "number") out += `[${part}]`;
    else out += `${index === 0 ? ":" : "."}${String(part)}`;
  });
  return out;
}

/** The keys the schema allows at a path, for "did you mean" hints. */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType | undefined = platformConfigSchema;
  for (const part of path) {
    schema = schema && unwrap(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.core.$ZodType>)[String(part)];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.core.$ZodType;
    else return [];
  }
  schema = schema && unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType; type: string };
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

/**
 * The allowed key nearest to `key` by edit distance, when it is near enough to be a typo. Ties go to the
 * key sharing the longer prefix (`gpu` means `gpus`, not `cpu`).
 */
export function closest(key: string, allowed: readonly string[]): string | undefined {
  const typed = key.toLowerCase();
  let best: { candidate: string; distance: number; prefix: number } | undefined;
  for (const candidate of allowed) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(typed, lower);
    const prefix = sharedPrefixLength(typed, lower);
    if (!best || distance < best.distance || (distance === best.distance && prefix > best.prefix)) {
      best = { candidate, distance, prefix };
    }
  }
  return best && best.distance <= Math.max(2, Math.floor(best.candidate.length / 3)) ? best.candidate : undefined;
}

function sharedPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
