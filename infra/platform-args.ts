/**
 * Maps a validated stack configuration onto the components' args. This is the only place that knows both
 * the stack file's shape and the components' shape; components never see environment names.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { MlPlatformArgs, MlPlatformGpuArgs, MlPlatformNotebookArgs } from "@mlops-platform/components";
import type { PlatformConfig } from "./config.js";

/** Secret config values, read by the program with `getSecret` (never part of PlatformConfig). */
export interface PlatformSecrets {
  notebookOidcClientSecret?: pulumi.Input<string>;
  /** Provider keys of the gateway's models, by the config key each model names. */
  providerKeys?: Record<string, pulumi.Input<string>>;
}

export function platformArgsFrom(config: PlatformConfig, secrets: PlatformSecrets = {}): MlPlatformArgs {
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
    ...(config.gpu.pools.length > 0 ? { gpu: gpuArgsFrom(config) } : {}),
    notebooks: {
      enabled: config.notebooks.enabled,
      culling: config.notebooks.culling,
      extraImages: config.notebooks.images,
      extraSizes: config.notebooks.sizes,
      defaultWorkspaceGiB: config.notebooks.defaultWorkspaceGiB,
      podMonitor: config.notebooks.podMonitor,
      ...notebookAccessFrom(config, secrets),
    },
    ...((config.gateway.enabled ?? config.gateway.models.length > 0)
      ? {
          gateway: {
            models: config.gateway.models.map(({ apiKey, ...model }) => ({
              ...model,
              ...(apiKey !== undefined && secrets.providerKeys?.[apiKey] !== undefined ? { apiKey: secrets.providerKeys[apiKey] } : {}),
            })),
            cache: config.gateway.cache,
            prompts: config.gateway.prompts,
            replicas: config.availability.replicas,
            serviceMonitor: config.gateway.serviceMonitor,
            ...(config.gateway.image ? { image: config.gateway.image } : {}),
            ...(config.gateway.adminUrl ? { adminUrl: config.gateway.adminUrl } : {}),
            teams: Object.fromEntries(config.teams.flatMap((team) => (team.gateway ? [[team.name, team.gateway] as const] : []))),
            ...(config.gateway.database.enabled
              ? {
                  database: {
                    instances: config.gateway.database.instances,
                    storageGiB: config.gateway.database.storageGiB,
                    protect: config.gateway.database.protect,
                    ...(config.gateway.database.backup ? { backup: config.gateway.database.backup } : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
    training: {
      enabled: config.training.enabled,
      kueueEnabled: config.training.kueue.enabled,
      ...(config.training.trainerVersion ? { trainerVersion: config.training.trainerVersion } : {}),
      ...(config.training.kueue.version ? { kueueVersion: config.training.kueue.version } : {}),
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

function gpuArgsFrom(config: PlatformConfig): MlPlatformGpuArgs {
  const { gpu, cluster } = config;
  return {
    cloud: cluster.provider,
    pools: gpu.pools.map((pool) => ({
      name: pool.name,
      gpu: pool.gpu,
      gpusPerNode: pool.gpusPerNode,
      capacity: pool.capacity,
      minNodes: pool.minNodes,
      maxGpus: pool.maxGpus,
      consolidateAfterMinutes: pool.consolidateAfterMinutes,
      expireAfterHours: pool.expireAfterHours,
      ...(pool.sharing?.timeSlicingReplicas !== undefined ? { timeSlicingReplicas: pool.sharing.timeSlicingReplicas } : {}),
      ...(pool.sharing?.mig !== undefined ? { migProfile: pool.sharing.mig } : {}),
      labels: pool.labels,
      workloads: pool.workloads,
    })),
    ...(gpu.aws ? { aws: gpu.aws } : {}),
    ...(gpu.azure ? { azure: gpu.azure } : {}),
    ...(gpu.operator.version ? { operatorVersion: gpu.operator.version } : {}),
    serviceMonitor: gpu.operator.serviceMonitor,
  };
}

function notebookAccessFrom(config: PlatformConfig, secrets: PlatformSecrets): Pick<MlPlatformNotebookArgs, "access"> {
  const access = config.notebooks.access;
  // Validation guarantees host, oidc and the secret when access is enabled.
  if (!access.enabled || !access.host || !access.oidc || secrets.notebookOidcClientSecret === undefined) return {};
  return {
    access: {
      host: access.host,
      oidcIssuerUrl: access.oidc.issuerUrl,
      oidcClientId: access.oidc.clientId,
      oidcClientSecret: secrets.notebookOidcClientSecret,
      ...(access.gateway
        ? { gatewayName: access.gateway.name, gatewayNamespace: access.gateway.namespace }
        : { ingressClassName: config.cluster.ingressClass! }),
      ...(access.tlsSecretName ? { tlsSecretName: access.tlsSecretName } : {}),
    },
  };
}
