/**
 * Maps a validated stack configuration onto MlPlatform's args: one call per capability, each defined next
 * to its config section in `capabilities/`. Components never see environment names.
 */
import type { MlPlatformArgs } from "@mlops-platform/components";
import type { PlatformSecrets } from "./capabilities/capability.js";
import { catalogArgs } from "./capabilities/catalog.js";
import { clusterArgs } from "./capabilities/cluster.js";
import { gatewayArgs } from "./capabilities/gateway.js";
import { gpuArgs } from "./capabilities/gpu.js";
import { monitoringArgs } from "./capabilities/monitoring.js";
import { notebookArgs } from "./capabilities/notebooks.js";
import { teamArgs } from "./capabilities/tenancy.js";
import { trainingArgs } from "./capabilities/training.js";
import type { PlatformConfig } from "./config.js";

export type { PlatformSecrets } from "./capabilities/capability.js";

/** MlPlatform's args for a stack; `secrets` are the secret config values the program read, by key. */
export function platformArgsFrom(config: PlatformConfig, secrets: PlatformSecrets = {}): MlPlatformArgs {
  const gpu = gpuArgs(config);
  const gateway = gatewayArgs(config, secrets);
  const monitoring = monitoringArgs(config, secrets);
  const catalog = catalogArgs(config, secrets);
  return {
    ...clusterArgs(config),
    ...(gpu ? { gpu } : {}),
    notebooks: notebookArgs(config, secrets),
    ...(gateway ? { gateway } : {}),
    ...(monitoring ? { monitoring } : {}),
    ...(catalog ? { catalog } : {}),
    training: trainingArgs(config),
    teams: teamArgs(config),
  };
}
