/**
 * Maps a validated stack configuration onto MlPlatform's args: one call per capability, each defined next
 * to its config section in `capabilities/`. Components never see environment names.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { MlPlatformArgs } from "@mlops-platform/components";
import { clusterBaseArgs } from "./capabilities/cluster.js";
import { gatewayArgs } from "./capabilities/gateway.js";
import { gpuArgs } from "./capabilities/gpu.js";
import { notebookArgs } from "./capabilities/notebooks.js";
import { teamArgs } from "./capabilities/tenancy.js";
import { trainingArgs } from "./capabilities/training.js";
import type { PlatformConfig } from "./config.js";

/** Secret config values, read by the program with `getSecret` (never part of PlatformConfig). */
export interface PlatformSecrets {
  notebookOidcClientSecret?: pulumi.Input<string>;
  /** Provider keys of the gateway's models, by the config key each model names. */
  providerKeys?: Record<string, pulumi.Input<string>>;
}

export function platformArgsFrom(config: PlatformConfig, secrets: PlatformSecrets = {}): MlPlatformArgs {
  const gpu = gpuArgs(config);
  const gateway = gatewayArgs(config, secrets.providerKeys ?? {});
  return {
    clusterBase: clusterBaseArgs(config),
    ...(gpu ? { gpu } : {}),
    notebooks: notebookArgs(config, secrets.notebookOidcClientSecret),
    ...(gateway ? { gateway } : {}),
    training: trainingArgs(config),
    teams: teamArgs(config),
  };
}
