/**
 * A small structural checker for custom resources that have no upstream TypeScript model: required fields,
 * types, enums, patterns, bounds, and unknown fields (what the API server rejects for a structural CRD
 * schema). Schemas are written from the CRD files at the levels the platform writes; `any` marks fields
 * accepted as they are (upstream sub-schemas the platform never sets).
 *
 * Shared by the training and database validators; nothing here knows about a particular kind.
 */
import { describeValue } from "./component.js";

export type FieldSchema =
  | { readonly type: "string"; readonly enum?: readonly string[]; readonly pattern?: RegExp; readonly patternHint?: string; readonly maxLength?: number }
  | { readonly type: "integer"; readonly minimum?: number }
  | { readonly type: "boolean" }
  /** int-or-string Kubernetes quantity (`"4"`, `"500m"`, `"16Gi"`, `8`); quotas must not be negative. */
  | { readonly type: "quantity"; readonly nonNegative?: boolean }
  /** An object with known fields; any other field is reported. */
  | { readonly type: "object"; readonly properties: Readonly<Record<string, FieldSchema>>; readonly required?: readonly string[] }
  /** An object used as a map (labels, node selectors): any keys, every value of one schema. */
  | { readonly type: "map"; readonly values: FieldSchema }
  | { readonly type: "array"; readonly items: FieldSchema; readonly minItems?: number; readonly maxItems?: number }
  /** Accepted without checks. */
  | { readonly type: "any" };

/** Kubernetes quantity, exactly the pattern the CRDs declare for int-or-string quantities. */
const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** RFC 1123 subdomain, the CRDs' pattern for names that refer to other objects. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Problems of `value` against `schema`, each naming its path (`spec.trainer.numProcPerNode must be integer
 * (got "auto")`). `kind` names the resource in unknown-field messages.
 */
export function checkSchema(value: unknown, schema: FieldSchema, path: string, kind: string): string[] {
  switch (schema.type) {
    case "any":
      return [];
    case "string": {
      if (typeof value !== "string") return [`${path} must be string (got ${describeValue(value)})`];
      if (schema.enum !== undefined && !schema.enum.includes(value)) {
        return [`${path} must be one of ${schema.enum.join(", ")} (got ${describeValue(value)})`];
      }
      if (schema.maxLength !== undefined && value.length > schema.maxLength) {
        return [`${path} must be at most ${schema.maxLength} characters (got ${value.length})`];
      }
      if (schema.pattern !== undefined && !schema.pattern.test(value)) {
        return [`${path} must be ${schema.patternHint ?? `match ${schema.pattern.source}`} (got ${describeValue(value)})`];
      }
      return [];
    }
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) return [`${path} must be integer (got ${describeValue(value)})`];
      if (schema.minimum !== undefined && value < schema.minimum) return [`${path} must be at least ${schema.minimum} (got ${value})`];
      return [];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${path} must be boolean (got ${describeValue(value)})`];
    case "quantity": {
      // int-or-string: a JSON number must be whole; a string must parse as a quantity.
      const valid = typeof value === "number" ? Number.isInteger(value) : typeof value === "string" && QUANTITY.test(value);
      if (!valid) return [`${path} must be a quantity such as "4", "500m" or "16Gi" (got ${describeValue(value)})`];
      if (schema.nonNegative && String(value).startsWith("-")) return [`${path} must not be negative (got ${describeValue(value)})`];
      return [];
    }
    case "map":
      if (!isRecord(value)) return [`${path} must be object (got ${describeValue(value)})`];
      return Object.entries(value).flatMap(([key, item]) => checkSchema(item, schema.values, `${path}[${JSON.stringify(key)}]`, kind));
    case "array": {
      if (!Array.isArray(value)) return [`${path} must be a list (got ${describeValue(value)})`];
      const problems: string[] = [];
      if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${path} needs at least ${schema.minItems} item(s)`);
      if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${path} takes at most ${schema.maxItems} items (got ${value.length})`);
      value.forEach((item, index) => problems.push(...checkSchema(item, schema.items, `${path}[${index}]`, kind)));
      return problems;
    }
    case "object": {
      if (!isRecord(value)) return [`${path} must be object (got ${describeValue(value)})`];
      const problems: string[] = [];
      for (const field of schema.required ?? []) {
        if (value[field] === undefined) problems.push(`${join(path, field)} is required`);
      }
      for (const [field, item] of Object.entries(value)) {
        const fieldSchema = schema.properties[field];
        if (fieldSchema === undefined) problems.push(`${join(path, field)} is not a field of ${kind}`);
        else if (item !== undefined) problems.push(...checkSchema(item, fieldSchema, join(path, field), kind));
      }
      return problems;
    }
  }
}

function join(path: string, field: string): string {
  return path === "" ? field : `${path}.${field}`;
}

/** Shorthands that keep schemas readable. */
export const s = {
  any: { type: "any" } as const,
  string: { type: "string" } as const,
  boolean: { type: "boolean" } as const,
  quantity: { type: "quantity" } as const,
  nonNegativeQuantity: { type: "quantity", nonNegative: true } as const,
  integer: (minimum?: number): FieldSchema => (minimum === undefined ? { type: "integer" } : { type: "integer", minimum }),
  enumOf: (...values: string[]): FieldSchema => ({ type: "string", enum: values }),
  name: { type: "string", pattern: DNS_SUBDOMAIN, patternHint: "a DNS subdomain (lowercase letters, digits, '-' and '.')", maxLength: 253 } as FieldSchema,
  mapOf: (values: FieldSchema): FieldSchema => ({ type: "map", values }),
  listOf: (items: FieldSchema, bounds: { minItems?: number; maxItems?: number } = {}): FieldSchema => ({ type: "array", items, ...bounds }),
  object: (properties: Record<string, FieldSchema>, required: readonly string[] = []): FieldSchema => ({ type: "object", properties, required }),
  /** An object whose listed fields are known and checked as `any`, e.g. upstream PodSpec fields the platform does not set. */
  known: (fields: readonly string[], checked: Record<string, FieldSchema> = {}, required: readonly string[] = []): FieldSchema => ({
    type: "object",
    properties: { ...Object.fromEntries(fields.map((field) => [field, { type: "any" } as FieldSchema])), ...checked },
    required,
  }),
};
