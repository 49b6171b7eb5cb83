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
 * Every bad argument of one component, found in one pass: Pulumi prints its `errors` as a list, one line
 * per property, so a user fixes them all in one go instead of one per run.
 */
export class ComponentArgumentErrors extends pulumi.InputPropertiesError {
  constructor(public readonly problems: readonly ComponentArgumentError[]) {
    super({
      message: problems.map((problem) => problem.reason).join("\n"),
      errors: problems.map((problem) => ({ propertyPath: problem.propertyPath, reason: problem.reason })),
    });
    this.name = "ComponentArgumentErrors";
  }
}

/** The argument problems an error carries (one, or each of an aggregate); undefined for any other error. */
export function argumentErrorsOf(err: unknown): ComponentArgumentError[] | undefined {
  if (err instanceof ComponentArgumentError) return [err];
  if (err instanceof ComponentArgumentErrors) return [...err.problems];
  return undefined;
}

/**
 * Collects a component's argument problems, so its validation reports all of them and not only the first.
 * Components call `throwIfAny` before creating any child, so nothing is half-applied.
 */
export class ArgumentProblems {
  readonly errors: ComponentArgumentError[] = [];

  constructor(
    readonly componentType: string,
    readonly componentName: string,
  ) {}

  /** Records a bad argument: the property, the value that was given and how to fix it. */
  add(property: string, value: unknown, fix: string): void {
    this.errors.push(new ComponentArgumentError(this.componentType, this.componentName, property, value, fix));
  }

  /**
   * Records problems found by another check (a child component's, a shared rule's) as this component's,
   * at `argsPath(property)` of this component's args.
   */
  forward(errors: readonly ComponentArgumentError[], argsPath: (property: string) => string): void {
    for (const error of errors) this.add(argsPath(error.property), error.value, error.fix);
  }

  /**
   * Throws what was found: a single problem as the `ComponentArgumentError` (an `InputPropertyError`) it
   * always was, several as one `ComponentArgumentErrors`.
   */
  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0]!;
    if (this.errors.length > 1) throw new ComponentArgumentErrors([...this.errors]);
  }
}

/** A collector for the argument problems of the component `componentType` named `componentName`. */
export function argumentProblems(componentType: string, componentName: string): ArgumentProblems {
  return new ArgumentProblems(componentType, componentName);
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
