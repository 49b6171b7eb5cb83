/**
 * Maps a validated stack configuration onto the components' args. This is the only place that knows both
 * the stack file's shape and the components' shape; components never see environment names.
 */
import type { MlPlatformArgs } from "@mlops-platform/components";
import type { PlatformConfig } from "./config.js";

export function platformArgsFrom(config: PlatformConfig): MlPlatformArgs {
  const { certManager, priorityClasses } = config.cluster;
  return {
    clusterBase: {
      certManager: {
        enabled: certManager.enabled,
        namespace: certManager.namespace,
        replicas: certManager.replicas ?? config.availability.replicas,
        ...(certManager.version === undefined ? {} : { version: certManager.version }),
      },
      priorityClasses: { ...priorityClasses },
    },
    teams: config.teams.map((team) => ({
      name: team.name,
      owners: team.owners,
      members: team.members,
      quota: team.quota,
      egressCidrs: team.egressCidrs,
    })),
  };
}
