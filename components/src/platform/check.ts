/**
 * Every problem of MlPlatform's args, without creating anything: the platform's own checks, then each
 * child's own validation run on exactly the args MlPlatform would give it, each problem named by the
 * MlPlatform arg that caused it.
 */
import { argumentErrorsOf, argumentProblems, type ArgumentProblems, type ComponentArgumentError } from "../common/component.js";
import { childrenInOrder, platformChildren, type PlatformChildren } from "./children.js";
import type { MlPlatformArgs } from "./args.js";
import { planMlPlatform, type MlPlatformPlan } from "./plan.js";

/** The plan, the children's args and every problem of MlPlatform's args, in MlPlatform's terms. */
export function planPlatform(name: string, args: MlPlatformArgs): { plan: MlPlatformPlan; children: PlatformChildren; problems: ArgumentProblems } {
  const problems = argumentProblems("MlPlatform", name);
  const plan = planMlPlatform(args, problems);
  const children = platformChildren(name, args, plan);
  // One value often reaches several children (a team's name becomes its namespace, its ClusterQueue, ...):
  // the first to object speaks for it, so a bad arg is reported once.
  const reported = new Set(problems.errors.map((error) => error.property));
  for (const spec of childrenInOrder(children)) {
    const errors = childErrors(spec.check);
    const fresh = errors.filter((error) => !reported.has(spec.argsPath(error.property)));
    problems.forward(fresh, (property) => spec.argsPath(property));
    for (const error of fresh) reported.add(spec.argsPath(error.property));
  }
  return { plan, children, problems };
}

/**
 * Checks MlPlatform's args the way its constructor does first, without creating anything: returns every
 * problem (each a `ComponentArgumentError` naming MlPlatform's args path, e.g. `teams[0].quota.gpus`),
 * or an empty list when they can work.
 */
export function checkMlPlatformArgs(args: MlPlatformArgs, name = "mlops"): ComponentArgumentError[] {
  return [...planPlatform(name, args).problems.errors];
}

function childErrors(check: () => void): ComponentArgumentError[] {
  try {
    check();
    return [];
  } catch (err) {
    const errors = argumentErrorsOf(err);
    if (errors === undefined) throw err;
    return errors;
  }
}
