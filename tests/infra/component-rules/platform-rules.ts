/** The rules of ClusterBase, Team, MlPlatform itself and the gateway's PostgreSQL, each from a stack file. */
import { at, CONSTANT, NEVER_SET, pool, team, type RuleCase } from "./cases.js";

const CLUSTER_BASE = "cluster/cluster-base.ts";
const TEAM = "tenancy/team.ts";
const PLATFORM = "platform/plan.ts";
const POSTGRES = "database/postgres-cluster.ts";
const CNPG = "database/cnpg-operator.ts";

const MONITORS =
  'monitors need the Prometheus Operator: enable monitoring (the platform then installs it), declare "prometheus-operator" preinstalled, or leave this unset (monitors are then created exactly when the operator is there), got true';
/** Monitoring off: the stack then has no Prometheus Operator to create monitors with. */
const withoutMonitoring = (s: Record<string, unknown>): void => void (s["monitoring"] = { enabled: false });
const PREINSTALLED_SHARING =
  'GPU sharing is configured in the GPU Operator\'s device plugin, and a preinstalled "nvidia-gpu-operator" is not the platform\'s to configure: set sharing there and remove it here, or let the platform install the operator';

const CIDR =
  'use CIDR notation such as "10.20.0.0/16": an IPv4 address of four numbers from 0 to 255 and a prefix length from 0 to 32 (or an IPv6 address and a prefix length from 0 to 128)';
const SYSTEM_NAMESPACE = 'use a namespace of its own such as "cert-manager": default and kube-* belong to Kubernetes itself';
const SYSTEM_PRIORITY = 'use a prefix that does not make the names start with "system-" (Kubernetes keeps those), such as "mlp"';
const CERT_MANAGER_OWN = 'use a namespace of cert-manager\'s own, such as "cert-manager"';

const DATA_CATALOG = "catalog/data-catalog.ts";
/** The catalog on (backed up, as dev requires), with these catalog.service settings and its OIDC client secret. */
const withCatalog = (s: Record<string, unknown>, service: Record<string, unknown> = {}): void => {
  s["catalog"] = { enabled: true, database: { backup: { destinationPath: "s3://backups/catalog", workloadIdentity: { awsRoleArn: "arn:aws:iam::111122223333:role/mlops-backups" } } }, service };
  s["catalogOidcClientSecret"] = "catalog-client-secret";
};
const ROLE = "arn:aws:iam::111122223333:role/mlops-backups";
const ONE_WAY =
  "give exactly one of credentials (keys from secret config, written into a Secret here), workloadIdentity (the cloud identity of the instances' ServiceAccount) or credentialsSecretName (a Secret that already exists in the namespace)";
/** The gateway database's backups through keys the stack names, not the base stack's Secret. */
const withCredentials = (s: { gateway: { database: { backup: Record<string, unknown> } } }, credentials: Record<string, string>): void => {
  delete s.gateway.database.backup["credentialsSecretName"];
  s.gateway.database.backup["credentials"] = credentials;
};
const withIdentity = (s: { gateway: { database: { backup: Record<string, unknown> } } }, workloadIdentity: Record<string, string>): void => {
  delete s.gateway.database.backup["credentialsSecretName"];
  s.gateway.database.backup["workloadIdentity"] = workloadIdentity;
};

export const PLATFORM_RULES: RuleCase[] = [
  // ClusterBase
  { file: CLUSTER_BASE, site: '"certManager.version"', rule: "cert-manager's chart version is exact", stack: (s) => (s.cluster["certManager"] = { version: "latest" }), expected: [at("cluster.certManager.version", 'use an exact chart version such as "v1.20.2", got "latest"')] },
  { file: CLUSTER_BASE, site: '"certManager.replicas"', rule: "cert-manager runs at least one replica", stack: (s) => (s.cluster["certManager"] = { replicas: 0 }), expected: [at("cluster.certManager.replicas", "use a whole number of at least 1, got 0")] },
  { file: CLUSTER_BASE, site: '"certManager.replicas"', rule: "cert-manager's replicas follow availability.replicas unless set", stack: (s) => (s.availability = { replicas: 0 }), expected: [at("availability.replicas", "use a whole number of at least 1, got 0")] },
  { file: CLUSTER_BASE, site: "use a DNS label: lower-case letters", rule: "extra namespaces are DNS labels", unreachable: NEVER_SET("clusterBase.namespaces; the platform's own are constants") },
  { file: CLUSTER_BASE, site: "each namespace may be listed once", rule: "a namespace is listed once", unreachable: NEVER_SET("clusterBase.namespaces; the platform's own are distinct") },
  { file: CLUSTER_BASE, site: "podSecurity", rule: "Pod Security levels are known", unreachable: NEVER_SET("clusterBase.namespaces; the platform's own levels are constants") },
  { file: CLUSTER_BASE, site: "use a namespace of the platform's own", rule: "no platform namespace is Kubernetes' own", unreachable: NEVER_SET("clusterBase.namespaces; the platform's own are constants") },
  { file: CLUSTER_BASE, site: 'use a namespace of its own such as', rule: "cert-manager does not go to kube-system", stack: (s) => (s.cluster["certManager"] = { namespace: "kube-system" }), expected: [at("cluster.certManager.namespace", `${SYSTEM_NAMESPACE}, got "kube-system"`)] },
  { file: CLUSTER_BASE, site: 'use a namespace of its own such as', rule: "cert-manager does not go to another kube- namespace", stack: (s) => (s.cluster["certManager"] = { namespace: "kube-public" }), expected: [at("cluster.certManager.namespace", `${SYSTEM_NAMESPACE}, got "kube-public"`)] },
  { file: CLUSTER_BASE, site: 'use a namespace of its own such as', rule: "cert-manager does not go to default", stack: (s) => (s.cluster["certManager"] = { namespace: "default" }), expected: [at("cluster.certManager.namespace", `${SYSTEM_NAMESPACE}, got "default"`)] },
  { file: CLUSTER_BASE, site: 'use a DNS label such as', rule: "cert-manager's namespace is a DNS label", stack: (s) => (s.cluster["certManager"] = { namespace: "Cert_Manager" }), expected: [at("cluster.certManager.namespace", 'use a DNS label such as "cert-manager", got "Cert_Manager"')] },
  { file: CLUSTER_BASE, site: "start with \"system-\"", rule: "PriorityClass names do not start with system-", stack: (s) => (s.cluster["priorityClasses"] = { prefix: "system" }), expected: [at("cluster.priorityClasses.prefix", `${SYSTEM_PRIORITY}, got "system"`)] },
  { file: CLUSTER_BASE, site: "start with \"system-\"", rule: "a system- prefix is refused too", stack: (s) => (s.cluster["priorityClasses"] = { prefix: "system-ml" }), expected: [at("cluster.priorityClasses.prefix", `${SYSTEM_PRIORITY}, got "system-ml"`)] },
  { file: CLUSTER_BASE, site: "use a short DNS label", rule: "the PriorityClass prefix is a short DNS label", stack: (s) => (s.cluster["priorityClasses"] = { prefix: "a".repeat(41) }), expected: [at("cluster.priorityClasses.prefix", `use a short DNS label (at most 40 characters) such as "mlp", got "${"a".repeat(41)}"`)] },
  { file: CLUSTER_BASE, site: "${workload}Value", rule: "priorities are in the user range", stack: (s) => (s.cluster["priorityClasses"] = { servingValue: 2e9 }), expected: [at("cluster.priorityClasses.servingValue", "use a whole number from 0 to 1000000000, got 2000000000")] },

  // Team
  { file: TEAM, site: '"name"', rule: "a team name is a DNS label of at most 58 characters", stack: (s) => (team(s).name = "Vision_Team"), expected: [at("teams[0].name", 'use a DNS label of at most 58 characters (the namespace is team-<name>), got "Vision_Team"')] },
  { file: TEAM, site: '"owners"', rule: "a team has an owner group", stack: (s) => (team(s)["owners"] = []), expected: [at("teams[0].owners", "name at least one identity-provider group, got []")] },
  { file: TEAM, site: "use a non-empty group name", rule: "group names are not empty", stack: (s) => (team(s)["members"] = [""]), expected: [at("teams[0].members[0]", 'use a non-empty group name, got ""')] },
  { file: TEAM, site: "quota.${key}", rule: "CPU, memory and storage quotas are positive", stack: (s) => (team(s).quota["memoryGiB"] = -1), expected: [at("teams[0].quota.memoryGiB", "use a positive number, got -1")] },
  { file: TEAM, site: '"quota.gpus"', rule: "the GPU quota is a whole number", stack: (s) => (team(s).quota["gpus"] = 1.5), expected: [at("teams[0].quota.gpus", "use a whole number, 0 or more, got 1.5")] },
  { file: TEAM, site: "use a namespace name (a DNS label)", rule: "service and ingress namespaces are DNS labels", unreachable: NEVER_SET("a team's serviceNamespaces or ingressNamespaces; MlPlatform adds constants") },
  { file: TEAM, site: "egressCidrs[", rule: "egress CIDRs are CIDRs", stack: (s) => (team(s)["egressCidrs"] = ["10.0.0.0"]), expected: [at("teams[0].egressCidrs[0]", `${CIDR}, got "10.0.0.0"`)] },
  { file: TEAM, site: "egressCidrs[", rule: "an IPv4 prefix is at most 32 bits", stack: (s) => (team(s)["egressCidrs"] = ["10.0.0.0/8", "10.20.0.0/33"]), expected: [at("teams[0].egressCidrs[1]", `${CIDR}, got "10.20.0.0/33"`)] },
  { file: TEAM, site: "egressCidrs[", rule: "an IPv4 octet is at most 255", stack: (s) => (team(s)["egressCidrs"] = ["10.0.300.0/16"]), expected: [at("teams[0].egressCidrs[0]", `${CIDR}, got "10.0.300.0/16"`)] },
  { file: TEAM, site: "egressCidrs[", rule: "an IPv6 prefix is at most 128 bits", stack: (s) => (team(s)["egressCidrs"] = ["fd00::/129"]), expected: [at("teams[0].egressCidrs[0]", `${CIDR}, got "fd00::/129"`)] },
  { file: TEAM, site: "egressCidrs[", rule: "an IPv4 address has four numbers", stack: (s) => (team(s)["egressCidrs"] = ["10.0.0/16"]), expected: [at("teams[0].egressCidrs[0]", `${CIDR}, got "10.0.0/16"`)] },

  // MlPlatform's own
  { file: PLATFORM, site: "give every team a unique name", rule: "team names are unique", stack: (s) => s.teams.push({ name: "vision", owners: ["o"], quota: { cpu: 1, memoryGiB: 1, storageGiB: 1 } }), expected: [at("teams[1].name", 'give every team a unique name, got "vision"')] },
  {
    file: PLATFORM,
    site: "use one of ${operators",
    rule: "preinstalled operators are ones the platform knows",
    stack: (s) => (s.cluster["preinstalledOperators"] = ["prometheus"]),
    expected: [at("cluster.preinstalledOperators[0]", 'use one of cert-manager, prometheus-operator, cloudnative-pg, barman-cloud-plugin, kueue, kubeflow-trainer, kubeflow-notebooks, nvidia-gpu-operator, got "prometheus"')],
  },
  { file: PLATFORM, site: "use a namespace of cert-manager's own", rule: "cert-manager does not share a team's namespace", stack: (s) => (s.cluster["certManager"] = { namespace: "team-vision" }), expected: [at("cluster.certManager.namespace", `${CERT_MANAGER_OWN}: team-vision is team vision's namespace, got "team-vision"`)] },
  { file: PLATFORM, site: "use a namespace of cert-manager's own", rule: "cert-manager does not share another capability's namespace", stack: (s) => (s.cluster["certManager"] = { namespace: "mlp-gateway" }), expected: [at("cluster.certManager.namespace", `${CERT_MANAGER_OWN}: mlp-gateway is a namespace of another capability of the platform, got "mlp-gateway"`)] },
  { file: PLATFORM, site: "use a namespace of cert-manager's own", rule: "cert-manager does not share the notebook controller's namespace", stack: (s) => (s.cluster["certManager"] = { namespace: "notebook-controller-system" }), expected: [at("cluster.certManager.namespace", `${CERT_MANAGER_OWN}: notebook-controller-system is a namespace of another capability of the platform, got "notebook-controller-system"`)] },
  { file: PLATFORM, site: "list each operator once", rule: "a preinstalled operator is listed once", stack: (s) => (s.cluster["preinstalledOperators"] = ["kueue", "kueue"]), expected: [at("cluster.preinstalledOperators[1]", 'list each operator once, got "kueue"')] },
  { file: PLATFORM, site: "give every pool a unique name", rule: "pool names are unique", stack: (s) => s.gpu.pools.push({ ...pool(s) }), expected: [at("gpu.pools[1].name", 'give every pool a unique name, got "l4"')] },
  {
    file: PLATFORM,
    site: ".timeSlicingReplicas",
    rule: "no time-slicing on a GPU Operator the cluster runs",
    stack: (s) => {
      s.cluster["preinstalledOperators"] = ["nvidia-gpu-operator"];
      pool(s)["sharing"] = { timeSlicingReplicas: 4 };
    },
    expected: [at("gpu.pools[0].sharing.timeSlicingReplicas", `${PREINSTALLED_SHARING}, got 4`)],
  },
  {
    file: PLATFORM,
    site: ".migProfile",
    rule: "no MIG on a GPU Operator the cluster runs",
    stack: (s) => {
      s.cluster["preinstalledOperators"] = ["nvidia-gpu-operator"];
      Object.assign(pool(s), { name: "a100", gpu: "nvidia-a100", gpusPerNode: 8, maxGpus: 8, sharing: { mig: "all-1g.10gb" } });
    },
    expected: [at("gpu.pools[0].sharing.mig", `${PREINSTALLED_SHARING}, got "all-1g.10gb"`)],
  },
  {
    file: PLATFORM,
    site: "backups need the barman-cloud plugin",
    rule: "backups next to a preinstalled CloudNativePG need its barman-cloud plugin",
    stack: (s) => (s.cluster["preinstalledOperators"] = ["cloudnative-pg"]),
    expected: [
      at(
        "gateway.database.backup",
        'backups need the barman-cloud plugin in the namespace of the cluster\'s own CloudNativePG: install it there and declare "barman-cloud-plugin" preinstalled too, or let the platform install both (do not declare "cloudnative-pg" preinstalled), got {"destinationPath":"s3://backups/gateway","credentialsSecretName":"store-credentials"}',
      ),
    ],
  },
  { file: PLATFORM, site: "monitors need the Prometheus Operator", rule: "a DCGM ServiceMonitor needs the Prometheus Operator", stack: (s) => (withoutMonitoring(s), (s.gpu.operator = { serviceMonitor: true })), expected: [at("gpu.operator.serviceMonitor", MONITORS)] },
  { file: PLATFORM, site: "monitors need the Prometheus Operator", rule: "a notebook controller PodMonitor needs the Prometheus Operator", stack: (s) => (withoutMonitoring(s), (s.notebooks["podMonitor"] = true)), expected: [at("notebooks.podMonitor", MONITORS)] },
  { file: PLATFORM, site: "monitors need the Prometheus Operator", rule: "a gateway ServiceMonitor needs the Prometheus Operator", stack: (s) => (withoutMonitoring(s), (s.gateway["serviceMonitor"] = true)), expected: [at("gateway.serviceMonitor", MONITORS)] },
  { file: PLATFORM, site: "monitors need the Prometheus Operator", rule: "a gateway database PodMonitor needs the Prometheus Operator", unreachable: NEVER_SET("gateway.database.podMonitor (the stack has no such key)") },
  { file: PLATFORM, site: "name a team of teams", rule: "gateway settings name a team", unreachable: "infra builds gateway.teams from the teams' own entries" },
  { file: PLATFORM, site: "use one of the gateway's models", rule: "a team's models are the gateway's", stack: (s) => (s.teams[0]!.gateway = { models: ["gpt-5"] }), expected: [at("teams[0].gateway.models[0]", 'use one of the gateway\'s models: chat, got "gpt-5"')] },

  // PostgresCluster (the gateway's database)
  { file: POSTGRES, site: "use a whole number of ${unit}", rule: "at least one instance", stack: (s) => (s.gateway.database["instances"] = 0), expected: [at("gateway.database.instances", "use a whole number of instances, at least 1, got 0")] },
  { file: POSTGRES, site: "use a whole number of ${unit}", rule: "at least 1 GiB of storage", stack: (s) => (s.gateway.database["storageGiB"] = 2.5), expected: [at("gateway.database.storageGiB", "use a whole number of GiB, at least 1, got 2.5")] },
  { file: POSTGRES, site: '"backup.retentionDays"', rule: "backups are kept at least a day", stack: (s) => (s.gateway.database.backup["retentionDays"] = 0), expected: [at("gateway.database.backup.retentionDays", "use a whole number of days, at least 1, got 0")] },
  { file: POSTGRES, site: "use a whole number of ${unit}", rule: "at least 256 MiB of memory", unreachable: NEVER_SET("gateway.database.memoryMiB") },
  { file: POSTGRES, site: '"namespace", args.namespace', rule: "the namespace is a DNS label", unreachable: CONSTANT("the database's namespace") },
  { file: POSTGRES, site: '"clusterName"', rule: "the cluster name suits CloudNativePG", unreachable: CONSTANT("the cluster name (gateway-db)") },
  { file: POSTGRES, site: '"database"', rule: "the database name is a plain SQL name", unreachable: CONSTANT("the database name (litellm)") },
  { file: POSTGRES, site: '"owner"', rule: "the owner is not a reserved role", unreachable: CONSTANT("the owner (litellm)") },
  { file: POSTGRES, site: '"storageClass"', rule: "the StorageClass is a name", unreachable: NEVER_SET("gateway.database.storageClass") },
  { file: POSTGRES, site: '"imageName"', rule: "the image carries a version tag", unreachable: NEVER_SET("gateway.database.imageName") },
  { file: POSTGRES, site: '"cpuRequestCores", cpuRequest', rule: "the CPU request is positive", unreachable: NEVER_SET("gateway.database.cpuRequestCores") },
  { file: POSTGRES, site: '"cpuLimitCores"', rule: "the CPU limit is at least the request", unreachable: NEVER_SET("gateway.database.cpuLimitCores") },
  {
    file: POSTGRES,
    site: '"backup.destinationPath"',
    rule: "backups go to S3, GCS or Azure Blob",
    stack: (s) => (s.gateway.database.backup["destinationPath"] = "ftp://backups/gateway"),
    expected: [at("gateway.database.backup.destinationPath", 'use s3://bucket/path, gs://bucket/path or https://<account>.blob.core.windows.net/<container>/path, got "ftp://backups/gateway"')],
  },
  { file: POSTGRES, site: '"backup.credentialsSecretName"', rule: "the credentials Secret is a name", stack: (s) => (s.gateway.database.backup["credentialsSecretName"] = "Store_Credentials"), expected: [at("gateway.database.backup.credentialsSecretName", 'name the Secret holding the object store credentials, got "Store_Credentials"')] },
  { file: POSTGRES, site: '"backup.endpointUrl"', rule: "the object store endpoint is an http(s) URL", unreachable: NEVER_SET("gateway.database.backup.endpointUrl") },
  { file: POSTGRES, site: '"backup.schedule"', rule: "the backup schedule is a six-field cron", stack: (s) => (s.gateway.database.backup["schedule"] = "0 2 * * *"), expected: [at("gateway.database.backup.schedule", 'a schedule has six fields, seconds first (e.g. "0 0 2 * * *"), got 5; crontab\'s five fields need a seconds field first: "0 0 2 * * *", got "0 2 * * *"')] },
  { file: POSTGRES, site: "give exactly one of credentials", rule: "backups reach the store one way", stack: (s) => (s.gateway.database.backup["workloadIdentity"] = { awsRoleArn: ROLE }), expected: [at("gateway.database.backup", `${ONE_WAY}, got ${JSON.stringify({ destinationPath: "s3://backups/gateway", credentialsSecretName: "store-credentials", workloadIdentity: { awsRoleArn: ROLE } })}`)] },
  { file: POSTGRES, site: "`backup.credentials.${arg}`, undefined", rule: "the store's keys are all given", stack: (s) => withCredentials(s, { accessKeyId: "openaiApiKey" }), expected: [at("gateway.database.backup.credentials.secretAccessKey", "required; " + "the s3 store at s3://backups/gateway needs accessKeyId and secretAccessKey")] },
  { file: POSTGRES, site: '`backup.credentials.${arg}`, "<secret>"', rule: "only the store's own keys are given", stack: (s) => withCredentials(s, { accessKeyId: "openaiApiKey", secretAccessKey: "openaiApiKey", gcsCredentials: "openaiApiKey" }), expected: [at("gateway.database.backup.credentials.gcsCredentials", 'not used by a s3 store; give accessKeyId and secretAccessKey, got "openaiApiKey"')] },
  { file: POSTGRES, site: "`backup.workloadIdentity.${other}`", rule: "only the store's cloud identity is given", stack: (s) => withIdentity(s, { awsRoleArn: ROLE, azureClientId: "0f0e0d0c-1b1a-2c2d-3e3f-404142434445" }), expected: [at("gateway.database.backup.workloadIdentity.azureClientId", 'not used by a s3 store; give awsRoleArn, got "0f0e0d0c-1b1a-2c2d-3e3f-404142434445"')] },
  { file: POSTGRES, site: "`backup.workloadIdentity.${arg}`", rule: "the store's cloud identity is well-formed", stack: (s) => withIdentity(s, { awsRoleArn: "mlops-backups" }), expected: [at("gateway.database.backup.workloadIdentity.awsRoleArn", 'use an IAM role ARN (arn:aws:iam::<account>:role/<name>) for s3://backups/gateway, got "mlops-backups"')] },
  { file: POSTGRES, site: '"backup.serverName", serverName', rule: "the folder in the object store is a plain name", stack: (s) => (s.gateway.database.backup["serverName"] = "Gateway DB"), expected: [at("gateway.database.backup.serverName", 'use lower-case letters, digits, \'-\', \'_\' or \'.\', got "Gateway DB"')] },
  { file: POSTGRES, site: "a recovered cluster must archive to a new folder", rule: "a restored cluster archives to a new folder", stack: (s) => (s.gateway.database["recovery"] = { sourceServerName: "gateway-db" }), expected: [at("gateway.database.backup.serverName", 'a recovered cluster must archive to a new folder, not over its source "gateway-db": set backup.serverName, e.g. "gateway-db-restored", got "gateway-db"')] },
  { file: POSTGRES, site: '"recovery", r', rule: "a restore reads the backup's object store", unreachable: "infra requires gateway.database.backup outside local, and a local stack restoring needs it too: the capability reports it first" },
  { file: POSTGRES, site: '"recovery.sourceServerName"', rule: "the restore's source is a folder name", stack: (s) => (s.gateway.database["recovery"] = { sourceServerName: "Gateway DB" }), expected: [at("gateway.database.recovery.sourceServerName", 'name the source\'s folder in the object store (its cluster name, or the serverName it archived to), got "Gateway DB"')] },
  { file: POSTGRES, site: '"recovery.targetTime"', rule: "the restore's target time has a zone", stack: (s) => (s.gateway.database.backup["serverName"] = "gateway-db-2", (s.gateway.database["recovery"] = { sourceServerName: "gateway-db", targetTime: "yesterday" })), expected: [at("gateway.database.recovery.targetTime", 'use an RFC 3339 timestamp with its zone, e.g. "2026-11-28T07:00:00Z", got "yesterday"')] },
  { file: POSTGRES, site: '"podAntiAffinity"', rule: "instances spread preferred or required", unreachable: NEVER_SET("gateway.database.podAntiAffinity") },

  // DataCatalog (the catalog service)
  { file: DATA_CATALOG, site: '"namespace", namespace', rule: "the catalog's namespace is a DNS label", unreachable: CONSTANT("the catalog's namespace (mlp-catalog)") },
  { file: DATA_CATALOG, site: '"database.host"', rule: "the catalog's database is a Service host", unreachable: CONSTANT("the catalog database's Service (catalog-db-rw.mlp-catalog.svc)") },
  { file: DATA_CATALOG, site: '"database.secretName"', rule: "the catalog's database password is a Secret's", unreachable: CONSTANT("the catalog database's Secret (catalog-db-app-user)") },
  { file: DATA_CATALOG, site: '"use a DNS label")', rule: "catalog teams are DNS labels", unreachable: "a team's name is Team's to judge first (teams[].name), and the platform team's is a constant" },
  { file: DATA_CATALOG, site: "give every catalog team a unique name", rule: "no stack team takes the platform team's name", stack: (s) => (withCatalog(s), (s.teams[0]!.name = "platform")), expected: [at("teams[0].name", 'give every catalog team a unique name, got "platform"')] },
  { file: DATA_CATALOG, site: "`sources[${i}].name`", rule: "ingested databases have unique plain names", unreachable: CONSTANT("the ingested databases' names (catalog_db, gateway_db)") },
  { file: DATA_CATALOG, site: "`sources[${i}].ownerTeam`", rule: "ingested databases are owned by a catalog team", unreachable: CONSTANT("the platform's databases' owner (the platform team)") },
  { file: DATA_CATALOG, site: "`sources[${i}].schedule`", rule: "ingestion runs on a crontab schedule", unreachable: NEVER_SET("catalog.service ingestion schedules") },
  { file: DATA_CATALOG, site: '"access.host"', rule: "the catalog's public host is a host name", stack: (s) => withCatalog(s, { access: { enabled: true, host: "Catalog Host", oidc: { issuerUrl: "https://login.example.com", clientId: "catalog" } } }), expected: [at("catalog.service.access.host", 'use a host name, e.g. catalog.dev.example.com, got "Catalog Host"')] },
  { file: DATA_CATALOG, site: '"access.oidcIssuerUrl"', rule: "the catalog's OIDC issuer is https", stack: (s) => withCatalog(s, { access: { enabled: true, host: "catalog.dev.example.com", oidc: { issuerUrl: "http://login", clientId: "catalog" } } }), expected: [at("catalog.service.access.oidc.issuerUrl", 'use the issuer\'s https:// URL, got "http://login"')] },
  { file: DATA_CATALOG, site: '"access.oidcClientId"', rule: "the catalog's OIDC client id is set", stack: (s) => withCatalog(s, { access: { enabled: true, host: "catalog.dev.example.com", oidc: { issuerUrl: "https://login.example.com", clientId: " " } } }), expected: [at("catalog.service.access.oidc.clientId", 'set the OIDC client id, got " "')] },
  { file: DATA_CATALOG, site: "use an exact chart version without", rule: "OpenMetadata's chart is pinned exactly", stack: (s) => withCatalog(s, { version: "1.13" }), expected: [at("catalog.service.version", 'use an exact chart version without "v", such as "1.13.3", got "1.13"')] },
  { file: DATA_CATALOG, site: '"ingestionImage"', rule: "the ingestion image is pinned", unreachable: NEVER_SET("catalog.service.ingestionImage") },
  { file: DATA_CATALOG, site: '"replicas", replicas', rule: "the catalog runs at least one replica", stack: (s) => withCatalog(s, { replicas: 0 }), expected: [at("catalog.service.replicas", "use a whole number of at least 1, got 0")] },
  { file: DATA_CATALOG, site: '"searchStorageGiB"', rule: "the search node has a volume", stack: (s) => withCatalog(s, { searchStorageGiB: 0.5 }), expected: [at("catalog.service.searchStorageGiB", "use a whole number of GiB, at least 1, got 0.5")] },

  // CatalogDatabase
  { file: "catalog/catalog-database.ts", site: '"namespace", args.namespace', rule: "the catalog database's namespace is a DNS label", unreachable: CONSTANT("the catalog's namespace (mlp-catalog)") },

  // CloudNativePgOperator
  { file: CNPG, site: "use a namespace name (a DNS label)", rule: "the operator's namespace is a DNS label", unreachable: CONSTANT("the operator's namespace (cnpg-system)") },
  { file: CNPG, site: "use an exact chart version without", rule: "the operator and plugin charts are pinned exactly", unreachable: NEVER_SET("the CloudNativePG or barman-cloud chart versions") },
];
