/**
 * Custom resources validated against the upstream CRDs' own structural schemas, with Ajv. The schemas in
 * `crd-schemas/` are generated from the CRD files by `scripts/generate-crd-schemas.mjs` (see the README
 * there for sources, licences and what is not checked: CEL rules, defaulting, webhooks).
 *
 * ObjectMeta is not part of a CRD's schema (the API server validates it for every object), so the
 * validator adds the checks the server makes on a custom resource's metadata: a name (or generateName)
 * that is a DNS subdomain, a namespace that is a DNS label, qualified label and annotation keys, label
 * values of at most 63 characters, and no fields ObjectMeta does not have.
 */
import { readFileSync } from "node:fs";
import { isIPv4, isIPv6 } from "node:net";
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from "ajv";
import { describeValue } from "../common/component.js";
import type { SyncManifestValidator } from "./validate.js";

/** One CRD in `crd-schemas/index.json`. */
export interface CrdSchemaSource {
  kind: string;
  group: string;
  scope: string;
  /** Served versions; `storage` marks the one the server stores, `deprecated` the ones it warns about. */
  versions: Record<string, { storage: boolean; deprecated: boolean }>;
  /** Schema file below `crd-schemas/`. */
  file: string;
  /** CEL rules (`x-kubernetes-validations`) in the CRD's served versions: not evaluated offline. */
  celRules: number;
  source: { repository: string; path: string; ref: string; commit: string; url: string; blob: string };
  /** SPDX identifier of the upstream repository's licence. */
  licence: string;
}

const SCHEMA_DIR = new URL("./crd-schemas/", import.meta.url);

let sources: ReadonlyMap<string, { crd: CrdSchemaSource; version: string }> | undefined;

/** Every served `<apiVersion>/<kind>` with a generated schema, and the CRD it comes from. */
function crdVersions(): ReadonlyMap<string, { crd: CrdSchemaSource; version: string }> {
  if (sources === undefined) {
    const index = JSON.parse(readFileSync(new URL("index.json", SCHEMA_DIR), "utf8")) as { crds: CrdSchemaSource[] };
    sources = new Map(index.crds.flatMap((crd) => Object.keys(crd.versions).map((version) => [`${crd.group}/${version}/${crd.kind}`, { crd, version }] as const)));
  }
  return sources;
}

/** The CRDs the generated schemas come from: kind, versions, upstream source and licence. */
export function crdSchemaSources(): CrdSchemaSource[] {
  return [...new Set([...crdVersions().values()].map(({ crd }) => crd))];
}

/** `<apiVersion>/<kind>` of every custom resource version that has a generated schema, sorted. */
export function crdSchemaKeys(): string[] {
  return [...crdVersions().keys()].sort();
}

const schemaFiles = new Map<string, { versions: Record<string, SchemaObject> }>();

/** The generated JSON Schema of one served CRD version (without the ObjectMeta checks), or undefined. */
export function crdSchema(apiVersion: string, kind: string): SchemaObject | undefined {
  const entry = crdVersions().get(`${apiVersion}/${kind}`);
  if (entry === undefined) return undefined;
  let file = schemaFiles.get(entry.crd.file);
  if (file === undefined) {
    file = JSON.parse(readFileSync(new URL(entry.crd.file, SCHEMA_DIR), "utf8")) as { versions: Record<string, SchemaObject> };
    schemaFiles.set(entry.crd.file, file);
  }
  return file.versions[entry.version];
}

// ObjectMeta as the API server validates it on a custom resource.
const DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
const DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
/** `[prefix/]name`: a DNS subdomain prefix, a name of at most 63 characters (253 + 1 + 63 in all). */
const QUALIFIED_NAME = { maxLength: 317, pattern: "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$" };
const LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
const STRINGS = { type: "array", items: { type: "string" } };
const OBJECT_META: SchemaObject = {
  type: "object",
  properties: {
    name: { type: "string", maxLength: 253, pattern: DNS_SUBDOMAIN },
    generateName: { type: "string" },
    namespace: { type: "string", maxLength: 63, pattern: DNS_LABEL },
    labels: {
      type: "object",
      propertyNames: QUALIFIED_NAME,
      additionalProperties: { type: "string", maxLength: 63, pattern: LABEL_VALUE },
    },
    annotations: { type: "object", propertyNames: QUALIFIED_NAME, additionalProperties: { type: "string" } },
    finalizers: STRINGS,
    ownerReferences: {
      type: "array",
      items: {
        type: "object",
        properties: {
          apiVersion: { type: "string" },
          kind: { type: "string" },
          name: { type: "string" },
          uid: { type: "string" },
          controller: { type: "boolean" },
          blockOwnerDeletion: { type: "boolean" },
        },
        required: ["apiVersion", "kind", "name", "uid"],
        additionalProperties: false,
      },
    },
    uid: { type: "string" },
    resourceVersion: { type: "string" },
    generation: { type: "integer" },
    creationTimestamp: { type: "string" },
    deletionTimestamp: { type: "string" },
    deletionGracePeriodSeconds: { type: "integer" },
    managedFields: { type: "array", items: { type: "object" } },
    selfLink: { type: "string" },
  },
  // A name, unless the server is to generate one.
  if: { required: ["generateName"] },
  else: { required: ["name"] },
  additionalProperties: false,
};

// Go (RE2) patterns may set flags inline, which JavaScript cannot: a leading (?i) or (?s), alone or just
// after ^, covers the whole pattern, as a JavaScript flag does. The CRDs use no other Go-only syntax (the
// test that compiles every schema would fail if one did).
const GO_LEADING_FLAGS = /^(\^?)\(\?([is]+)\)/;
function goRegExp(pattern: string, flags: string): RegExp {
  const leading = GO_LEADING_FLAGS.exec(pattern);
  if (leading === null) return new RegExp(pattern, flags);
  return new RegExp(leading[1] + pattern.slice(leading[0].length), [...new Set(flags + leading[2])].join(""));
}
goRegExp.code = "goRegExp"; // Ajv's RegExpEngine contract (read only for standalone code)

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

let ajv: Ajv | undefined;

function validatorCompiler(): Ajv {
  if (ajv !== undefined) return ajv;
  ajv = new Ajv({
    allErrors: true,
    // Compiling is most of the cost of validating (the CRDs embed whole PodSpecs): no optimisation pass,
    // no meta-schema check (a test checks every generated schema once), no messages (we write our own).
    code: { regExp: goRegExp, optimize: false },
    validateSchema: false,
    messages: false,
    // Unknown keywords are errors: the generator only writes keywords this validator understands.
    strictSchema: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    // Shared subschemas compile once, as functions, instead of being inlined at every use.
    inlineRefs: false,
    formats: {
      // The formats the CRDs use. The API server checks the string ones; int32 and int64 only document.
      int32: { type: "number", validate: () => true },
      int64: { type: "number", validate: () => true },
      byte: BASE64,
      "date-time": RFC3339,
      ipv4: (value: string) => isIPv4(value),
      ipv6: (value: string) => isIPv6(value),
    },
  });
  // x-kubernetes-list-type: map: no two items with the same values for the list's keys.
  const listMapKeys: ((keys: string[], data: unknown[]) => boolean) & { errors?: Partial<ErrorObject>[] } = (keys, data) => {
    const seen = new Map<string, number>();
    const errors: Partial<ErrorObject>[] = [];
    data.forEach((item, index) => {
      const id = JSON.stringify(keys.map((key) => (item as Record<string, unknown> | null)?.[key] ?? null));
      const first = seen.get(id);
      if (first === undefined) seen.set(id, index);
      else errors.push({ keyword: "x-kubernetes-list-map-keys", params: { i: first, j: index, keys } });
    });
    listMapKeys.errors = errors;
    return errors.length === 0;
  };
  ajv.addKeyword({ keyword: "x-kubernetes-list-map-keys", type: "array", schemaType: "array", errors: true, validate: listMapKeys });
  return ajv;
}

/** The schema for a whole object: the CRD version's, with TypeMeta required and ObjectMeta checked. */
function objectSchema(schema: SchemaObject): SchemaObject {
  const properties = (schema["properties"] ?? {}) as Record<string, SchemaObject>;
  const required = new Set<string>([...((schema["required"] as string[] | undefined) ?? []), "apiVersion", "kind", "metadata"]);
  return {
    ...schema,
    properties: { ...properties, metadata: properties["metadata"] === undefined ? OBJECT_META : { allOf: [properties["metadata"], OBJECT_META] } },
    required: [...required],
  };
}

/**
 * The schema with every repeated large subschema (a Container in containers and initContainers, a probe,
 * a label selector) moved to `$defs` once and referenced: Ajv then compiles each of them once, which
 * takes a fifth or more off compiling a CRD that embeds a PodSpec. Validation is unchanged.
 */
function shareRepeatedSubschemas(schema: SchemaObject): SchemaObject {
  const MIN_SHARED_LENGTH = 300;
  const text = new Map<object, string>();
  const textOf = (node: object): string => {
    let json = text.get(node);
    if (json === undefined) text.set(node, (json = JSON.stringify(node)));
    return json;
  };
  const children = (node: SchemaObject): SchemaObject[] => [
    ...Object.values((node["properties"] ?? {}) as Record<string, SchemaObject>),
    ...[node["items"], node["additionalProperties"]].filter((child): child is SchemaObject => typeof child === "object" && child !== null),
  ];
  const counts = new Map<string, number>();
  const count = (node: SchemaObject): void => {
    const json = textOf(node);
    if (json.length >= MIN_SHARED_LENGTH && node["type"] !== undefined) counts.set(json, (counts.get(json) ?? 0) + 1);
    children(node).forEach(count);
  };
  count(schema);
  const defs: Record<string, SchemaObject> = {};
  const names = new Map<string, string>();
  const rewrite = (node: SchemaObject, isDef: boolean): SchemaObject => {
    const json = textOf(node);
    if (!isDef && (counts.get(json) ?? 0) > 1) {
      let name = names.get(json);
      if (name === undefined) {
        name = `s${names.size}`;
        names.set(json, name);
        defs[name] = rewrite(node, true);
      }
      return { $ref: `#/$defs/${name}` };
    }
    const out: SchemaObject = { ...node };
    if (node["properties"] !== undefined) {
      out["properties"] = Object.fromEntries(Object.entries(node["properties"] as Record<string, SchemaObject>).map(([key, child]) => [key, rewrite(child, false)]));
    }
    for (const key of ["items", "additionalProperties"]) {
      const child = node[key] as unknown;
      if (typeof child === "object" && child !== null) out[key] = rewrite(child as SchemaObject, false);
    }
    return out;
  };
  const root = rewrite(schema, true);
  return names.size === 0 ? root : { ...root, $defs: defs };
}

const compiled = new Map<string, ValidateFunction>();

/** Compiled on first use: a render validates a few kinds, and compiling a large CRD takes milliseconds. */
function compiledValidator(apiVersion: string, kind: string): ValidateFunction {
  const key = `${apiVersion}/${kind}`;
  let validate = compiled.get(key);
  if (validate === undefined) {
    validate = validatorCompiler().compile(shareRepeatedSubschemas(objectSchema(crdSchema(apiVersion, kind)!)));
    compiled.set(key, validate);
  }
  return validate;
}

/**
 * A validator for one custom resource kind and version against its generated CRD schema, or undefined
 * when there is none. `rules` are further checks (webhook behaviour, platform rules) run only on an object
 * the schema accepts, so one mistake is not reported twice. A deprecated version is a problem of its own:
 * the server still accepts it, with a warning, until it stops serving it.
 */
export function crdValidator(apiVersion: string, kind: string, rules: (object: Record<string, unknown>) => string[] = () => []): SyncManifestValidator | undefined {
  const key = `${apiVersion}/${kind}`;
  const entry = crdVersions().get(key);
  if (entry === undefined) return undefined;
  if (entry.crd.versions[entry.version]!.deprecated) {
    const storage = Object.entries(entry.crd.versions).find(([, version]) => version.storage)?.[0];
    return () => [`apiVersion ${apiVersion} of ${kind} is deprecated: use ${entry.crd.group}/${storage}`];
  }
  return (object) => {
    const validate = compiledValidator(apiVersion, kind);
    if (validate(object)) return rules(object);
    return schemaProblems(validate.errors ?? [], object, kind);
  };
}

/**
 * `crdValidator` for a kind whose schema must exist, resolved on first use (so importing a module that
 * declares one reads no file). Throws when the schema is missing: regenerate the schemas.
 */
export function requiredCrdValidator(apiVersion: string, kind: string, rules?: (object: Record<string, unknown>) => string[]): SyncManifestValidator {
  let validator: SyncManifestValidator | undefined;
  return (object) => {
    validator ??= crdValidator(apiVersion, kind, rules);
    if (validator === undefined) throw new Error(`no generated schema for ${apiVersion}/${kind}: run scripts/generate-crd-schemas.mjs`);
    return validator(object);
  };
}

/** Validators for every custom resource version with a generated schema, keyed `<apiVersion>/<kind>`. */
export function crdValidators(): Record<string, SyncManifestValidator> {
  return Object.fromEntries(
    crdSchemaKeys().map((key) => {
      const slash = key.lastIndexOf("/");
      return [key, crdValidator(key.slice(0, slash), key.slice(slash + 1))!];
    }),
  );
}

/** Ajv's errors as `<path> <what is wrong> (got <value>)`, without the noise of failed alternatives. */
function schemaProblems(errors: readonly ErrorObject[], object: unknown, kind: string): string[] {
  // anyOf/oneOf report every failed branch before themselves; the alternative's own message is enough.
  const junctions = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => `${e.schemaPath}/`);
  const problems = errors
    // A bad key is reported by propertyNames itself; its nested errors name the same key again.
    .filter((e) => e.keyword !== "if" && e.propertyName === undefined && !junctions.some((prefix) => e.schemaPath.startsWith(prefix)))
    .map((e) => formatError(e, object, kind));
  return [...new Set(problems)];
}

function formatError(error: ErrorObject, object: unknown, kind: string): string {
  const path = objectPath(error.instancePath, object);
  const at = path === "" ? "the object" : path;
  const params = error.params as Record<string, unknown>;
  const data = valueAt(error.instancePath, object);
  const got = ` (got ${shortValue(data)})`;
  switch (error.keyword) {
    case "required":
      return `${join(path, String(params["missingProperty"]))} is required`;
    case "additionalProperties":
      return `${join(path, String(params["additionalProperty"]))} is not a field of ${kind}`;
    case "type":
      return `${at} must be ${String(params["type"]).split(",").join(" or ")}${got}`;
    case "enum":
      return `${at} must be one of ${(params["allowedValues"] as unknown[]).map(String).join(", ")}${got}`;
    case "pattern": {
      const pattern = String(params["pattern"]);
      return `${at} must ${PATTERN_NAMES.get(pattern) ?? `match ${pattern}`}${got}`;
    }
    case "format":
      return `${at} must be a valid ${String(params["format"])}${got}`;
    case "minimum":
      return `${at} must be at least ${String(params["limit"])}${got}`;
    case "maximum":
      return `${at} must be at most ${String(params["limit"])}${got}`;
    case "exclusiveMinimum":
      return `${at} must be greater than ${String(params["limit"])}${got}`;
    case "exclusiveMaximum":
      return `${at} must be less than ${String(params["limit"])}${got}`;
    case "minLength":
      return `${at} must be at least ${String(params["limit"])} characters${got}`;
    case "maxLength":
      return `${at} must be at most ${String(params["limit"])} characters (got ${String((data as string).length)})`;
    case "minItems":
      return `${at} needs at least ${String(params["limit"])} item(s)`;
    case "maxItems":
      return `${at} takes at most ${String(params["limit"])} items (got ${String((data as unknown[]).length)})`;
    case "minProperties":
      return `${at} needs at least ${String(params["limit"])} entries`;
    case "maxProperties":
      return `${at} takes at most ${String(params["limit"])} entries (got ${String(Object.keys(data as object).length)})`;
    case "uniqueItems":
      return `${at} has duplicate items ${String(params["j"])} and ${String(params["i"])}`;
    case "propertyNames":
      return `${at} has a key that is not a qualified name: ${shortValue(params["propertyName"])}`;
    case "anyOf":
    case "oneOf":
      return `${at} must match ${error.keyword === "oneOf" ? "exactly one" : "one"} of the forms its CRD allows${got}`;
    case "x-kubernetes-list-map-keys":
      return `${at}: items ${String(params["i"])} and ${String(params["j"])} have the same ${(params["keys"] as string[]).join(" and ")}`;
    default:
      return `${at} fails ${error.keyword}${got}`;
  }
}

/** Patterns that read better by name: Kubernetes quantities (every int-or-string resource amount) and names. */
const PATTERN_NAMES: ReadonlyMap<string, string> = new Map([
  ["^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$", 'be a quantity such as "4", "500m" or "16Gi"'],
  [DNS_SUBDOMAIN, "be a DNS subdomain (lowercase letters, digits, '-' and '.')"],
  [DNS_LABEL, "be a DNS label (lowercase letters, digits and '-')"],
  [LABEL_VALUE, "be a label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)"],
]);

/** `/spec/containers/0/resources/limits/nvidia.com~1gpu` as `spec.containers[0].resources.limits["nvidia.com/gpu"]`. */
function objectPath(pointer: string, object: unknown): string {
  if (pointer === "") return "";
  let path = "";
  let value = object;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(value)) path += `[${segment}]`;
    else path = /^[A-Za-z_$][\w$-]*$/.test(segment) ? join(path, segment) : `${path}[${JSON.stringify(segment)}]`;
    value = (value as Record<string, unknown> | undefined)?.[segment];
  }
  return path;
}

function valueAt(pointer: string, object: unknown): unknown {
  if (pointer === "") return object;
  return pointer
    .slice(1)
    .split("/")
    .reduce<unknown>((value, raw) => (value as Record<string, unknown> | undefined)?.[raw.replace(/~1/g, "/").replace(/~0/g, "~")], object);
}

function join(path: string, field: string): string {
  return path === "" ? field : `${path}.${field}`;
}

/** A value for a message, cut short: a message names what is wrong, it does not reprint the object. */
function shortValue(value: unknown): string {
  const text = describeValue(value);
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}
