import * as pulumi from "@pulumi/pulumi";

/** Prefix of every component type token: `mlops-platform:index:<ClassName>` (see DESIGN.md §4). */
export const TYPE_TOKEN_PREFIX = "mlops-platform:index:";

/** The type token of a component class. Tokens never change without an alias. */
export function typeToken(className: string): string {
  return `${TYPE_TOKEN_PREFIX}${className}`;
}

/**
 * Throws the error Pulumi shows for a bad component argument: it names the property, the value that was
 * given and how to fix it. Components call this before creating any child so nothing is half-applied.
 */
export function invalidArgument(
  componentType: string,
  componentName: string,
  property: string,
  value: unknown,
  fix: string,
): never {
  throw new pulumi.InputPropertyError({
    propertyPath: property,
    reason: `${typeToken(componentType)} "${componentName}": ${property}: got ${describeValue(value)}; ${fix}`,
  });
}

/** A short, stable rendering of a value for error messages (strings quoted, objects as JSON). */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
