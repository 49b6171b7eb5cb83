/**
 * What the stack-config tests share: parse a stack file's config the way the program does, and collect the
 * problems it reports.
 */
import * as path from "node:path";
import { expect } from "vitest";
import { ConfigError, parsePlatformConfig, rawPlatformConfig, type PlatformConfig } from "../../infra/config.js";
import { findProject, loadOfflineStack } from "../../infra/stack-files.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const STACKS = ["local", "dev", "staging", "prod"];
/** The stack file every message names. */
export const FILE = "stacks/Pulumi.test.yaml";

/** A shipped stack's config, as the render reads it. */
export function loadStack(stack: string): PlatformConfig {
  const offline = loadOfflineStack(findProject(ROOT), stack);
  const secretKeys = new Set(offline.secretKeys.map((k) => k.replace(/^mlops-platform:/, "")));
  return parsePlatformConfig(rawPlatformConfig(offline.config), `stacks/Pulumi.${stack}.yaml`, secretKeys);
}

/** The problems parsePlatformConfig reports for `raw`; fails the test if it accepts it. */
export function problemsOf(raw: Record<string, unknown>, secretKeys: string[] = []): string[] {
  try {
    parsePlatformConfig(raw, FILE, new Set(secretKeys));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("expected the config to be rejected");
}
