/**
 * One child of MlPlatform as MlPlatform sees it: its args exactly as it gets them, where its property
 * paths come from in MlPlatform's args, and its own validation.
 */
/** A rule mapping a child's property path to MlPlatform's args path: `[pattern, replacement]`, as `String#replace` takes them. */
export type PathRule = readonly [RegExp, string | ((...groups: string[]) => string)];

/** One child MlPlatform creates: its args exactly as it gets them, and how to check them. */
export interface ChildSpec<A> {
  /** Class name of the child, e.g. `Team`. */
  component: string;
  /** Resource name of the child, e.g. `mlops-team-vision`. */
  name: string;
  args: A;
  /** MlPlatform's args path of one of the child's property paths (`quota.gpus` -> `teams[0].quota.gpus`). */
  argsPath(property: string): string;
  /** Runs the child's own validation on `args`; throws its argument errors. */
  check(): void;
}

/** Declares a child: `rules` map its property paths to MlPlatform's; otherwise `fallback.<property>`. */
export function child<A>(component: string, name: string, args: A, rules: PathRule[], fallback: string, check: (name: string, args: A) => unknown): ChildSpec<A> {
  return {
    component,
    name,
    args,
    argsPath(property) {
      for (const [pattern, replacement] of rules) {
        const match = pattern.exec(property);
        if (match) return typeof replacement === "string" ? property.replace(pattern, replacement) : replacement(...match.map((group) => group ?? ""));
      }
      return fallback === "" ? property : `${fallback}.${property}`;
    },
    check: () => void check(name, args),
  };
}

/** What checking a child needs, whatever its args. */
export type CheckableChild = Pick<ChildSpec<unknown>, "component" | "name" | "argsPath" | "check">;
