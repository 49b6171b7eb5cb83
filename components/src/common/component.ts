import * as pulumi from "@pulumi/pulumi";

/**
 * Prefix of every component type token, `mlops-platform:index:<ClassName>`: the `index` module is what
 * Pulumi multi-language packages accept, so C#, Python and Go programs can use the components.
 */
export const TYPE_TOKEN_PREFIX = "mlops-platform:index:";

/** The type token of a component class. Tokens never change without an alias. */
export function typeToken(className: string): string {
  return `${TYPE_TOKEN_PREFIX}${className}`;
}

/**
 * A bad component argument: the property, the value that was given and how to fix it. It is the error
 * Pulumi shows (an `InputPropertyError`), and it keeps its parts, so a program can say which of its own
 * settings caused it (the stack program names the stack file's key).
 */
export class ComponentArgumentError extends pulumi.InputPropertyError {
  constructor(
    /** Class name of the component, e.g. `MlPlatform`. */
    public readonly componentType: string,
    public readonly componentName: string,
    /** Path of the argument in the component's args, e.g. `gpu.pools[0].maxGpus`. */
    public readonly property: string,
    public readonly value: unknown,
    /** What to do instead. */
    public readonly fix: string,
  ) {
    super({ propertyPath: property, reason: `${typeToken(componentType)} "${componentName}": ${property}: got ${describeValue(value)}; ${fix}` });
    this.name = "ComponentArgumentError";
  }
}

/**
 * Throws the error Pulumi shows for a bad component argument: it names the property, the value that was
 * given and how to fix it. Components call this before creating any child so nothing is half-applied.
 */
export function invalidArgument(componentType: string, componentName: string, property: string, value: unknown, fix: string): never {
  throw new ComponentArgumentError(componentType, componentName, property, value, fix);
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
