/**
 * The real Pulumi engine for end-to-end tests (see infra/engine.ts), or a visible skip when it is not built.
 */
import { builtEngine, ENGINE_BUILD_COMMAND, type Engine } from "../../infra/engine.js";
import { REPO_ROOT } from "./simulated-cluster.js";

export { createEngineStack, type EngineStack } from "../../infra/engine.js";

/**
 * The engine's cached binaries, or undefined when they are not built: tests that need them are then
 * skipped with a visible notice on a developer's machine, and fail under CI (`CI` set). Builds nothing.
 */
export function requireEngine(): Engine | undefined {
  const engine = builtEngine(REPO_ROOT);
  if (engine) return engine;
  const hint = `\`${ENGINE_BUILD_COMMAND}\` builds the Pulumi CLI and the Kubernetes provider once, then they are cached`;
  if (process.env["CI"]) throw new Error(`CI requires the Pulumi engine to be built before the tests: ${hint}`);
  console.warn(`\n  NOTICE: skipping tests: the Pulumi engine is not built; ${hint}\n`);
  return undefined;
}
