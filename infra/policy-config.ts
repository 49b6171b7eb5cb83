/**
 * `npm run -s policy-config -- --stack <env>`: the policy pack's config for a real `pulumi preview` or
 * `pulumi up` of a stack (`--policy-pack policies --policy-pack-config <file>`), from the stack file: each
 * rule at its environment's enforcement level with the stack's policy settings, the same table and settings
 * the offline render evaluates. The preview and deploy workflows write it before they run Pulumi.
 */
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { policyPackConfigFor, type PackConfigDocument } from "@mlops-platform/policies/rules";
import { parsePlatformConfig, rawPlatformConfig, stackFileFor } from "./config.js";
import { findProject, listStacks, loadOfflineStack } from "./stack-files.js";

/** The pack config of a stack; throws with the stack file's problems when its config is invalid. */
export function policyConfigForStack(stack: string, cwd = process.cwd()): PackConfigDocument {
  const project = findProject(cwd);
  if (!listStacks(project).includes(stack)) throw new Error(`unknown stack "${stack}" (stacks: ${listStacks(project).join(", ")})`);
  const offline = loadOfflineStack(project, stack);
  const secretKeys = new Set(offline.secretKeys.map((key) => key.slice(key.indexOf(":") + 1)));
  const config = parsePlatformConfig(rawPlatformConfig(offline.config), stackFileFor(stack), secretKeys);
  return policyPackConfigFor(config.environment, {
    allowedExternalServices: config.policies.allowedExternalServices,
    ...(config.policies.systemNamespaces ? { systemNamespaces: config.policies.systemNamespaces } : {}),
    gpuMonthlyBudgetUsd: config.gpu.monthlyBudgetUsd,
  });
}

function main(): void {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === "--stack" || a.startsWith("--stack="));
  const stack = at < 0 ? undefined : args[at]!.includes("=") ? args[at]!.slice("--stack=".length) : args[at + 1];
  if (!stack) {
    console.error("usage: npm run -s policy-config -- --stack <env> > policy-config.<env>.json");
    process.exit(2);
  }
  try {
    process.stdout.write(`${JSON.stringify(policyConfigForStack(stack), null, 2)}\n`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main();
}
