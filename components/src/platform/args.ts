/**
 * MlPlatform's args: one section per capability, each a plain interface every Pulumi language can
 * express (no Omit, no unions), kept equal to its child's args by a type test.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CatalogDatabaseArgs } from "../catalog/catalog-database.js";
import type { DataCatalogAccessArgs } from "../catalog/data-catalog.js";
import type { ClusterBaseArgs } from "../cluster/cluster-base.js";
import type { ClusterOperator } from "../cluster/operators.js";
import type { PodAntiAffinity, PostgresBackupArgs, PostgresRecoveryArgs } from "../database/postgres-cluster.js";
import type { AiGatewayCacheArgs, AiGatewayModelArgs } from "../gateway/ai-gateway.js";
import type { GatewayPrompt } from "../gateway/litellm-config.js";
import type { GpuCloud, GpuType } from "../gpu/catalog.js";
import type { AwsGpuNodeArgs, AzureGpuNodeArgs, GpuPoolArgs } from "../gpu/gpu-node-pool.js";
import type { GpuToleration } from "../gpu/node-pool-spec.js";
import type { NotebookImage, NotebookSize } from "../notebooks/catalog.js";
import type { NotebookCullingArgs } from "../notebooks/notebook-platform.js";
import type { GatewayContext } from "../notebooks/notebook-spec.js";
import type { TeamArgs } from "../tenancy/team.js";
import type { MlPlatformMonitoringArgs } from "./monitoring-child.js";

export type { MlPlatformModelMonitorArgs, MlPlatformMonitoringArgs } from "./monitoring-child.js";

/** GPU pools and the NVIDIA stack. */
export interface MlPlatformGpuArgs {
  /** Where the cluster runs (a kind cluster has no GPUs). */
  cloud: GpuCloud;
  /**
   * GPU node pools, autoscaled from zero (or `minNodes`) to `maxGpus`.
   * @default []
   */
  pools?: GpuPoolArgs[];
  /** AWS settings of the pools' EC2NodeClasses; required for pools on AWS. */
  aws?: AwsGpuNodeArgs;
  /**
   * Azure settings of the pools' AKSNodeClasses.
   * @default {}
   */
  azure?: AzureGpuNodeArgs;
  /**
   * Exact GPU Operator chart version.
   * @default GPU_OPERATOR_CHART.version
   */
  operatorVersion?: string;
  /**
   * ServiceMonitor for the DCGM exporter (needs the Prometheus Operator's CRDs).
   * @default true exactly when the Prometheus Operator is there (monitoring installs it, or `preinstalledOperators` lists it)
   */
  serviceMonitor?: boolean;
}

/**
 * Notebook settings: NotebookPlatform's args but the teams and GPU pools, which come from the rest of
 * MlPlatformArgs, and whether to install the controller (`preinstalledOperators` says).
 */
export interface MlPlatformNotebookArgs {
  /**
   * Kubeflow Notebooks for every team.
   * @default true
   */
  enabled?: boolean;
  /**
   * Reach notebooks from outside the cluster through an Ingress or Gateway, behind OIDC sign-in.
   * @default none (port-forward only)
   */
  access?: MlPlatformNotebookAccessArgs;
  /**
   * Idle culling (the cluster's own setting when Kubeflow Notebooks is preinstalled).
   * @default { enabled: true, idleMinutes: 60, checkPeriodMinutes: 1 }
   */
  culling?: NotebookCullingArgs;
  /**
   * Images offered besides Kubeflow's jupyter-scipy, jupyter-pytorch-cuda and jupyter-tensorflow-cuda.
   * @default []
   */
  extraImages?: NotebookImage[];
  /**
   * Sizes offered besides small, medium, large, gpu-1 and gpu-2.
   * @default []
   */
  extraSizes?: NotebookSize[];
  /**
   * Workspace volume size of a new notebook, GiB.
   * @default 10
   */
  defaultWorkspaceGiB?: number;
  /**
   * A PodMonitor for the controller's metrics (needs the Prometheus Operator's CRDs).
   * @default true exactly when the Prometheus Operator is there (monitoring installs it, or `preinstalledOperators` lists it)
   */
  podMonitor?: boolean;
  /**
   * An AI gateway outside the platform, injected into notebooks through each team's PodDefault. The
   * platform's own gateway, when enabled, takes its place.
   * @default none
   */
  gateway?: GatewayContext;
}

/** How notebooks are reached from outside: NotebookAccess's args but its namespace and teams, which MlPlatform sets. */
export interface MlPlatformNotebookAccessArgs {
  /** Public host name notebooks are served on, e.g. `notebooks.dev.example.com`. */
  host: string;
  /**
   * IngressClass to expose the router with. Exactly one of `ingressClassName` and `gatewayName`.
   * @default none
   */
  ingressClassName?: string;
  /**
   * TLS Secret for the Ingress (the Gateway terminates TLS itself).
   * @default none (TLS terminated in front of the ingress controller)
   */
  tlsSecretName?: string;
  /**
   * Gateway API Gateway to attach an HTTPRoute to. Exactly one of `ingressClassName` and `gatewayName`.
   * @default none
   */
  gatewayName?: string;
  /**
   * Namespace of the Gateway.
   * @default the router's namespace
   */
  gatewayNamespace?: string;
  /** OIDC issuer, e.g. `https://login.example.com/realms/ml`. */
  oidcIssuerUrl: string;
  /** The OIDC client's id. */
  oidcClientId: string;
  /** The OIDC client's secret: a Pulumi secret. */
  oidcClientSecret: pulumi.Input<string>;
  /**
   * oauth2-proxy's cookie encryption secret: 16, 24 or 32 characters. Generated when not given.
   * @default a random 32-character secret
   */
  cookieSecret?: pulumi.Input<string>;
  /**
   * Replicas of the router and of oauth2-proxy.
   * @default 1
   */
  replicas?: number;
  /**
   * The cluster's DNS domain, in the Service names the router calls.
   * @default "cluster.local"
   */
  clusterDomain?: string;
}

/**
 * Training settings: TrainingPlatform's args but the teams, GPU pools and PriorityClass, which come from the
 * rest of MlPlatformArgs, and what to install (`preinstalledOperators` says).
 */
export interface MlPlatformTrainingArgs {
  /**
   * Kubeflow Trainer and the platform's runtimes.
   * @default true
   */
  enabled?: boolean;
  /**
   * Exact Kubeflow Trainer chart version (no `v`).
   * @default "2.3.0"
   */
  trainerVersion?: string;
  /**
   * Queue TrainJobs with Kueue: per-team GPU quotas, borrowing of idle GPUs, reclaim on demand.
   * @default false
   */
  kueueEnabled?: boolean;
  /**
   * Exact Kueue chart version (no `v`); the platform writes `kueue.x-k8s.io/v1beta2` objects.
   * @default "0.19.2"
   */
  kueueVersion?: string;
}

/**
 * AI gateway settings: AiGateway's args but its namespace, clients and database URL, which come from the
 * rest of MlPlatformArgs, and the gateway's database, admin URL and per-team settings.
 */
export interface MlPlatformGatewayArgs {
  /**
   * The gateway, when this section is given.
   * @default true
   */
  enabled?: boolean;
  /** Models the gateway serves. */
  models: AiGatewayModelArgs[];
  /**
   * Prompt templates served by id (dotprompt format).
   * @default []
   */
  prompts?: GatewayPrompt[];
  /**
   * Response cache.
   * @default { enabled: true, ttlSeconds: 600 }
   */
  cache?: AiGatewayCacheArgs;
  /**
   * Replicas (at least this many; the autoscaler may add up to three times as many).
   * @default 1
   */
  replicas?: number;
  /**
   * The master key; generated when not given. Admins and the team-key automation use it.
   * @default a random 48-character key
   */
  masterKey?: pulumi.Input<string>;
  /**
   * Password of the gateway's Valkey; generated when not given.
   * @default a random 32-character password
   */
  valkeyPassword?: pulumi.Input<string>;
  /**
   * Namespace of Prometheus, allowed to scrape metrics.
   * @default none
   */
  monitoringNamespace?: string;
  /**
   * Create a ServiceMonitor (needs the Prometheus Operator's CRDs).
   * @default true exactly when the Prometheus Operator is there (monitoring installs it, or `preinstalledOperators` lists it)
   */
  serviceMonitor?: boolean;
  /**
   * LiteLLM proxy image, pinned by tag or digest.
   * @default LITELLM_IMAGE
   */
  image?: string;
  /**
   * PostgreSQL for keys, teams and spend (CloudNativePG, through the shared PostgresCluster).
   * @default none (only the master key authenticates)
   */
  database?: MlPlatformGatewayDatabaseArgs;
  /**
   * The gateway's admin URL as seen from where `pulumi up` runs (an ingress, or a port-forward). With it
   * (and a database), every team's gateway team and key are managed from there, by GatewayTeam resources.
   * @default none: with a database, a reconciler in the cluster manages them (GatewayTeamReconciler)
   */
  adminUrl?: string;
  /**
   * Per-team gateway settings, by team name.
   * @default {}
   */
  teams?: Record<string, MlPlatformGatewayTeamArgs>;
}

/**
 * The gateway's PostgreSQL: PostgresCluster's args but its namespace, cluster name, database and owner,
 * which MlPlatform sets (`gateway-db` in the gateway's namespace, database and owner `litellm`).
 */
export interface MlPlatformGatewayDatabaseArgs {
  /**
   * The owner's password (from a vault, or the stack's secret config); generated when not given.
   * @default a random 32-character password (letters and digits)
   */
  password?: pulumi.Input<string>;
  /**
   * PostgreSQL instances: one primary, the rest streaming replicas that CloudNativePG fails over to.
   * @default 1
   */
  instances?: number;
  /**
   * Volume size of each instance, GiB. It can grow later, never shrink.
   * @default 10
   */
  storageGiB?: number;
  /**
   * StorageClass of the volumes.
   * @default the cluster's default StorageClass
   */
  storageClass?: string;
  /**
   * PostgreSQL image with a version tag.
   * @default POSTGRES_IMAGE (PostgreSQL 18.4)
   */
  imageName?: string;
  /**
   * CPU cores requested by each instance.
   * @default 0.25
   */
  cpuRequestCores?: number;
  /**
   * CPU cores each instance may burst to.
   * @default 1, or cpuRequestCores when that is more
   */
  cpuLimitCores?: number;
  /**
   * Memory of each instance, MiB: requested and limit alike, so PostgreSQL is never the first process the
   * kernel kills under memory pressure.
   * @default 1024
   */
  memoryMiB?: number;
  /**
   * SQL run in the new database as superuser once, at creation (extensions, grants).
   * @default none
   */
  postInitApplicationSql?: string[];
  /**
   * Continuous backup with point-in-time recovery (the platform installs the barman-cloud plugin for it).
   * @default none: no backups
   */
  backup?: PostgresBackupArgs;
  /**
   * Create the cluster from a backup (point-in-time recovery) instead of an empty database.
   * @default none: a new, empty database
   */
  recovery?: PostgresRecoveryArgs;
  /**
   * Spread instances over nodes.
   * @default "preferred"
   */
  podAntiAffinity?: PodAntiAffinity;
  /**
   * Create a PodMonitor for the instances' metrics (needs the Prometheus Operator's CRDs).
   * @default true exactly when the Prometheus Operator is there (monitoring installs it, or `preinstalledOperators` lists it)
   */
  podMonitor?: boolean;
  /**
   * Protect the Cluster (and with it the volumes it owns), its password, the password Secret and the
   * backups' ObjectStore and credentials: `pulumi destroy` refuses, and removing them from the program
   * leaves them in Kubernetes (`protect` and `retainOnDelete`).
   * @default false
   */
  protect?: boolean;
}

/**
 * The data catalog: its PostgreSQL (CatalogDatabase) and, with it, the catalog service on top. The stack's
 * teams become the catalog's teams.
 */
export interface MlPlatformCatalogArgs {
  /**
   * The data catalog, when this section is given.
   * @default true
   */
  enabled?: boolean;
  /**
   * The catalog's PostgreSQL (its namespace is the catalog's: MlPlatform sets it).
   * @default {} (one instance, no backup)
   */
  database?: CatalogDatabaseArgs;
  /**
   * The catalog service (OpenMetadata) on that database.
   * @default { enabled: true }
   */
  service?: MlPlatformDataCatalogArgs;
}

/**
 * The catalog service: DataCatalog's args but its namespace, database, teams and sources, which MlPlatform
 * sets (the platform's teams, plus a `platform` team owning the platform's own databases, which it ingests).
 */
export interface MlPlatformDataCatalogArgs {
  /**
   * OpenMetadata, its OpenSearch node and the reconciler of its teams.
   * @default true
   */
  enabled?: boolean;
  /**
   * Groups that own the platform's own databases in the catalog (the `platform` team).
   * @default ["platform-admins"]
   */
  platformOwners?: string[];
  /**
   * Exposure outside the cluster, behind OIDC.
   * @default none (port-forward only)
   */
  access?: DataCatalogAccessArgs;
  /**
   * The catalog admin's password.
   * @default a random 32-character password
   */
  adminPassword?: pulumi.Input<string>;
  /**
   * Exact OpenMetadata chart version.
   * @default OPENMETADATA_CHART.version
   */
  version?: string;
  /**
   * Exact OpenSearch chart version.
   * @default OPENSEARCH_CHART.version
   */
  openSearchVersion?: string;
  /**
   * Image of the ingestion Jobs and the reconciler.
   * @default OPENMETADATA_INGESTION_IMAGE
   */
  ingestionImage?: string;
  /**
   * Replicas of the OpenMetadata server.
   * @default 1
   */
  replicas?: number;
  /**
   * Volume of the OpenSearch node, GiB.
   * @default 10
   */
  searchStorageGiB?: number;
}

/** What a team may do through the gateway. */
export interface MlPlatformGatewayTeamArgs {
  /**
   * Models the team may use.
   * @default all of the gateway's models
   */
  models?: string[];
  /**
   * Monthly spend cap, USD.
   * @default none
   */
  monthlyBudgetUsd?: number;
  /**
   * Tokens per minute the team may use.
   * @default none
   */
  tpmLimit?: number;
  /**
   * Requests per minute the team may make.
   * @default none
   */
  rpmLimit?: number;
}

/** Where a pool's pods go: what notebooks and training put in their pod specs. */
export interface GpuPoolPlacement {
  /** The pool's GPU type. */
  gpu: GpuType;
  /** Most GPUs the pool runs at once. */
  maxGpus: number;
  /** Node selector that lands a pod on the pool's nodes. */
  nodeSelector: Record<string, string>;
  /** Tolerations of the pool's GPU taint. */
  tolerations: GpuToleration[];
}

/**
 * The whole platform from one typed spec. Each capability has its own optional section; `infra/` maps a
 * stack file onto these args.
 */
export interface MlPlatformArgs {
  /**
   * Namespaces, cert-manager and PriorityClasses shared by every capability.
   * @default {} (all ClusterBase defaults)
   */
  clusterBase?: ClusterBaseArgs;
  /**
   * Teams on the platform: each gets a namespace `team-<name>` with quota, RBAC and network isolation.
   * @default []
   */
  teams?: TeamArgs[];
  /**
   * GPU pools, and the NVIDIA GPU Operator when there is at least one pool.
   * @default no GPUs
   */
  gpu?: MlPlatformGpuArgs;
  /**
   * Kubeflow Notebooks for every team.
   * @default { enabled: true }
   */
  notebooks?: MlPlatformNotebookArgs;
  /**
   * Kubeflow Trainer with the platform's runtimes, and Kueue for fair GPU sharing when enabled.
   * @default { enabled: true, kueueEnabled: false }
   */
  training?: MlPlatformTrainingArgs;
  /**
   * The AI gateway (LiteLLM) in front of LLM providers, for every team.
   * @default no gateway
   */
  gateway?: MlPlatformGatewayArgs;
  /**
   * Prometheus, Alertmanager and Grafana with the platform's rules and dashboards, OpenCost, and model
   * drift alerts. The platform then installs the Prometheus Operator, unless `preinstalledOperators`
   * lists it, and every capability's monitors follow.
   * @default no monitoring
   */
  monitoring?: MlPlatformMonitoringArgs;
  /**
   * The data catalog and its PostgreSQL (CloudNativePG, installed unless `preinstalledOperators` lists it).
   * @default no data catalog
   */
  catalog?: MlPlatformCatalogArgs;
  /**
   * Operators the cluster already runs. The platform installs none of them and creates its own objects on
   * top (it does not check they are there: the stack program's preflight does).
   * @default [] (the platform installs every operator it uses)
   */
  preinstalledOperators?: ClusterOperator[];
}
