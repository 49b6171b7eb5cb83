/** The rules of GpuNodePool, GpuOperator, TrainingPlatform and trainJob, each from a stack file. */
import { at, CONSTANT, pool, POOL_FIRST, team, TEAM_FIRST, type RuleCase } from "./cases.js";

const POOL = "gpu/gpu-node-pool.ts";
const OPERATOR = "gpu/gpu-operator.ts";
const TRAINING = "training/training-platform.ts";
const TRAIN_JOB = "training/train-job.ts";

const A100 = { name: "a100", gpu: "nvidia-a100", gpusPerNode: 8, maxGpus: 8 };
const TRAIN_JOB_ONLY = "trainJob builds a team's TrainJob in a program of its own; no stack value reaches it";

const LABEL_KEY = "is not a label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
const LABEL_VALUE = "is not a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty)";

export const COMPUTE_RULES: RuleCase[] = [
  // GpuNodePool
  { file: POOL, site: "is not ${LABEL_KEY_RULE}", rule: "node label keys are label keys", stack: (s) => (pool(s)["labels"] = { "cost center": "ml" }), expected: [at("gpu.pools[0].labels", `"cost center" ${LABEL_KEY}, got {"cost center":"ml"}`)] },
  { file: POOL, site: "is not ${LABEL_KEY_RULE}", rule: "a label key's name is at most 63 characters", stack: (s) => (pool(s)["labels"] = { [`example.com/${"k".repeat(64)}`]: "ml" }), expected: [at("gpu.pools[0].labels", `"example.com/${"k".repeat(64)}" ${LABEL_KEY}, got {"example.com/${"k".repeat(64)}":"ml"}`)] },
  { file: POOL, site: "is not ${LABEL_KEY_RULE}", rule: "a label key's prefix is a DNS subdomain", stack: (s) => (pool(s)["labels"] = { "Example_Corp/tier": "gold" }), expected: [at("gpu.pools[0].labels", `"Example_Corp/tier" ${LABEL_KEY}, got {"Example_Corp/tier":"gold"}`)] },
  {
    file: POOL,
    site: "keeps for itself",
    rule: "node labels stay out of Kubernetes' and Karpenter's domains",
    stack: (s) => (pool(s)["labels"] = { "node.kubernetes.io/instance-type": "g6.xlarge" }),
    expected: [at("gpu.pools[0].labels", '"node.kubernetes.io/instance-type" is in a domain Kubernetes or Karpenter keeps for itself (kubernetes.io, k8s.io, karpenter.sh): use a domain of your own, such as example.com/instance-type, got {"node.kubernetes.io/instance-type":"g6.xlarge"}')],
  },
  {
    file: POOL,
    site: "keeps for itself",
    rule: "karpenter.sh labels are Karpenter's",
    stack: (s) => (pool(s)["labels"] = { "karpenter.sh/capacity-type": "spot" }),
    expected: [at("gpu.pools[0].labels", '"karpenter.sh/capacity-type" is in a domain Kubernetes or Karpenter keeps for itself (kubernetes.io, k8s.io, karpenter.sh): use a domain of your own, such as example.com/capacity-type, got {"karpenter.sh/capacity-type":"spot"}')],
  },
  { file: POOL, site: "the value of ${", rule: "node label values are label values", stack: (s) => (pool(s)["labels"] = { team: "vision team" }), expected: [at("gpu.pools[0].labels", `the value of "team" ${LABEL_VALUE}, got {"team":"vision team"}`)] },
  { file: POOL, site: "the value of ${", rule: "a label value is at most 63 characters", stack: (s) => (pool(s)["labels"] = { team: "v".repeat(64) }), expected: [at("gpu.pools[0].labels", `the value of "team" ${LABEL_VALUE}, got {"team":"${"v".repeat(64)}"}`)] },
  { file: POOL, site: "max === undefined ?", rule: "warm nodes are a whole number", stack: (s) => (pool(s)["minNodes"] = -1), expected: [at("gpu.pools[0].minNodes", "use a whole number of at least 0, got -1")] },
  { file: POOL, site: "max === undefined ?", rule: "the GPU cap is at least 1", stack: (s) => (pool(s)["maxGpus"] = 0), expected: [at("gpu.pools[0].maxGpus", "use a whole number of at least 1, got 0")] },
  { file: POOL, site: "max === undefined ?", rule: "consolidation waits at least a minute", stack: (s) => (pool(s)["consolidateAfterMinutes"] = 0), expected: [at("gpu.pools[0].consolidateAfterMinutes", "use a whole number of at least 1, got 0")] },
  { file: POOL, site: "max === undefined ?", rule: "node expiry is a whole number of hours", stack: (s) => (pool(s)["expireAfterHours"] = -1), expected: [at("gpu.pools[0].expireAfterHours", "use a whole number of at least 0, got -1")] },
  { file: POOL, site: "max === undefined ?", rule: "time-slicing shares a GPU between 2 and 64 pods", stack: (s) => (pool(s)["sharing"] = { timeSlicingReplicas: 65 }), expected: [at("gpu.pools[0].sharing.timeSlicingReplicas", "use a whole number from 2 to 64, got 65")] },
  { file: POOL, site: "max === undefined ?", rule: "the AWS root volume is at least 1 GiB", stack: (s) => (s.gpu.aws!["rootVolumeGiB"] = 0), expected: [at("gpu.aws.rootVolumeGiB", "use a whole number of at least 1, got 0")] },
  {
    file: POOL,
    site: "max === undefined ?",
    rule: "the Azure OS disk is at least 1 GB",
    stack: (s) => {
      s.cluster["provider"] = "azure";
      pool(s)["gpu"] = "nvidia-t4";
      s.gpu.azure = { osDiskSizeGB: 0 };
    },
    expected: [at("gpu.azure.osDiskSizeGB", "use a whole number of at least 1, got 0")],
  },
  { file: POOL, site: "use one of ${CLUSTER_PROVIDERS", rule: "the cloud is one the platform knows", unreachable: "cluster.provider is an enum of the stack schema: it decides more than GPU pools (the preflight, the args)" },
  { file: POOL, site: "kind clusters are CPU only", rule: "kind clusters have no GPU pools", stack: (s) => (s.cluster["provider"] = "kind"), expected: [at("cluster.provider", 'kind clusters are CPU only: remove the GPU pool, or deploy to aws, azure or gcp, got "kind"')] },
  { file: POOL, site: '"pool.name"', rule: "a pool name is a DNS label of at most 40 characters", stack: (s) => (pool(s)["name"] = "L4"), expected: [at("gpu.pools[0].name", 'use a DNS label of at most 40 characters, got "L4"')] },
  {
    file: POOL,
    site: "use one of ${GPU_TYPES",
    rule: "the GPU is one the catalog knows",
    stack: (s) => (pool(s)["gpu"] = "nvidia-b200"),
    expected: [at("gpu.pools[0].gpu", 'use one of nvidia-t4, nvidia-l4, nvidia-a10g, nvidia-l40s, nvidia-a100, nvidia-a100-80gb, nvidia-h100, got "nvidia-b200"')],
  },
  { file: POOL, site: "offers ${gpuTypesOn", rule: "the cloud offers the GPU", stack: (s) => (s.cluster["provider"] = "azure"), expected: [at("gpu.pools[0].gpu", 'azure offers nvidia-t4, nvidia-a100, nvidia-a100-80gb, nvidia-h100, got "nvidia-l4"')] },
  { file: POOL, site: "GPUs per node", rule: "the node size exists on the cloud", stack: (s) => (pool(s)["gpusPerNode"] = 2), expected: [at("gpu.pools[0].gpusPerNode", "nvidia-l4 on aws comes with 1, 4, 8 GPUs per node, got 2")] },
  { file: POOL, site: '"pool.capacity"', rule: "capacity types are spot or on-demand, each once", stack: (s) => (pool(s)["capacity"] = ["reserved"]), expected: [at("gpu.pools[0].capacity", 'list one or both of spot, on-demand, each once, got ["reserved"]')] },
  { file: POOL, site: "allow at least minNodes", rule: "the GPU cap holds the warm nodes", stack: (s) => (pool(s)["minNodes"] = 9), expected: [at("gpu.pools[0].maxGpus", "allow at least minNodes × gpusPerNode = 9 GPUs, got 8")] },
  {
    file: POOL,
    site: "use either time-slicing or MIG",
    rule: "time-slicing or MIG, not both",
    stack: (s) => Object.assign(pool(s), { ...A100, sharing: { mig: "all-1g.10gb", timeSlicingReplicas: 2 } }),
    expected: [at("gpu.pools[0].sharing.mig", 'use either time-slicing or MIG on a pool, not both, got "all-1g.10gb"')],
  },
  {
    file: POOL,
    site: "GPU sharing on GKE",
    rule: "no sharing on GKE pools",
    stack: (s) => {
      s.cluster["provider"] = "gcp";
      pool(s)["sharing"] = { timeSlicingReplicas: 2 };
    },
    expected: [at("gpu.pools[0].sharing.timeSlicingReplicas", "GPU sharing on GKE is set on GKE node pools, not through this platform yet: remove it, got 2")],
  },
  { file: POOL, site: "MIG needs one of", rule: "MIG only on GPUs that have it", stack: (s) => (pool(s)["sharing"] = { mig: "all-1g.10gb" }), expected: [at("gpu.pools[0].sharing.mig", 'MIG needs one of nvidia-a100, nvidia-a100-80gb, nvidia-h100, got "all-1g.10gb"')] },
  {
    file: POOL,
    site: "GPU Operator MIG layout",
    rule: "the MIG layout is one the GPU Operator knows",
    stack: (s) => Object.assign(pool(s), { ...A100, sharing: { mig: "mixed" } }),
    expected: [at("gpu.pools[0].sharing.mig", 'use a GPU Operator MIG layout such as "all-1g.10gb" or "all-balanced", got "mixed"')],
  },
  { file: POOL, site: "pool.workloads[", rule: "workloads are ones the platform places", stack: (s) => (pool(s)["workloads"] = ["inference"]), expected: [at("gpu.pools[0].workloads[0]", 'use one of notebooks, training, serving, batch, got "inference"')] },
  { file: POOL, site: '"warmCapacityNamespace"', rule: "warm nodes have a placeholder namespace and PriorityClass", unreachable: CONSTANT("both") },
  {
    file: POOL,
    site: '"azure.imageFamily"',
    rule: "the Azure image family is one AKS offers",
    stack: (s) => {
      s.cluster["provider"] = "azure";
      pool(s)["gpu"] = "nvidia-t4";
      s.gpu.azure = { imageFamily: "Windows" };
    },
    expected: [at("gpu.azure.imageFamily", 'use one of Ubuntu2204, Ubuntu2404, AzureLinux, got "Windows"')],
  },
  { file: POOL, site: '"aws", aws', rule: "pools on AWS have node settings", stack: (s) => delete s.gpu.aws, expected: [at("gpu.aws", "required; set aws.nodeRole, aws.discoveryTag and aws.amiAlias for pools on AWS")] },
  { file: POOL, site: '"aws.nodeRole"', rule: "the node role is named", stack: (s) => (s.gpu.aws!["nodeRole"] = ""), expected: [at("gpu.aws.nodeRole", 'name the IAM role of Karpenter\'s nodes, got ""')] },
  {
    file: POOL,
    site: '"aws.discoveryTag"',
    rule: "the discovery tag is set",
    stack: (s) => (s.gpu.aws!["discoveryTag"] = " "),
    expected: [at("gpu.aws.discoveryTag", 'use the karpenter.sh/discovery tag value of the cluster\'s subnets and security groups (usually the cluster name), got " "')],
  },
  { file: POOL, site: '"aws.amiAlias"', rule: "the AMI is pinned", stack: (s) => (s.gpu.aws!["amiAlias"] = "al2023@latest"), expected: [at("gpu.aws.amiAlias", 'pin the AMI: use an alias such as "al2023@v20251108", got "al2023@latest"')] },

  // GpuOperator
  { file: OPERATOR, site: '"cloud"', rule: "the GPU Operator runs on a cloud with GPUs", unreachable: "GpuNodePool reports a kind cluster at cluster.provider first (one report per key)" },
  { file: OPERATOR, site: '"namespace"', rule: "the operator's namespace is a DNS label", unreachable: CONSTANT("the operator's namespace (gpu-operator)") },
  { file: OPERATOR, site: '"version"', rule: "the GPU Operator chart is pinned exactly", stack: (s) => (s.gpu.operator = { version: "latest" }), expected: [at("gpu.operator.version", 'use an exact chart version such as "v26.7.0", got "latest"')] },

  // TrainingPlatform
  { file: TRAINING, site: "use an exact chart version without", rule: "the Trainer chart is pinned exactly, without v", stack: (s) => (s.training.trainerVersion = "v2.3.0"), expected: [at("training.trainerVersion", 'use an exact chart version without "v", such as "2.3.0", got "v2.3.0"')] },
  { file: TRAINING, site: "use an exact chart version without", rule: "the Kueue chart is pinned exactly", stack: (s) => (s.training.kueue["version"] = "^0.19.2"), expected: [at("training.kueue.version", 'use an exact chart version without "v", such as "0.19.2", got "^0.19.2"')] },
  { file: TRAINING, site: '"priorityClassName"', rule: "training pods have a PriorityClass", unreachable: "it is <cluster.priorityClasses.prefix>-training, and ClusterBase reports a bad prefix first" },
  { file: TRAINING, site: "the runtime is", rule: "a pool's runtime name fits a DNS label", unreachable: "GpuNodePool keeps pool names to 40 characters, and the runtime name then fits" },
  { file: TRAINING, site: "list every pool once", rule: "a pool is listed once", unreachable: "MlPlatform reports a repeated pool name at gpu.pools[].name first" },
  { file: TRAINING, site: "use one of ${GPU_TYPES", rule: "a pool's GPU is known", unreachable: POOL_FIRST("gpu") },
  { file: TRAINING, site: '"use a whole number of at least 1"', rule: "a pool's GPU cap is at least 1", unreachable: POOL_FIRST("maxGpus") },
  { file: TRAINING, site: "select the pool's nodes", rule: "a pool has a node selector", unreachable: CONSTANT("each pool's node selector (from its name)") },
  { file: TRAINING, site: "name the taint key", rule: "tolerations name a taint", unreachable: CONSTANT("the GPU toleration") },
  { file: TRAINING, site: "use one of ${TOLERATION_OPERATORS", rule: "toleration operators are Kubernetes'", unreachable: CONSTANT("the GPU toleration") },
  { file: TRAINING, site: "use one of ${TAINT_EFFECTS", rule: "taint effects are Kubernetes'", unreachable: CONSTANT("the GPU toleration") },
  { file: TRAINING, site: "its ClusterQueue is team-<name>", rule: "a team's ClusterQueue name fits a DNS label", unreachable: TEAM_FIRST("teams[].name", "the same length limit") },
  { file: TRAINING, site: "list every team once", rule: "a team is listed once", unreachable: "MlPlatform reports a repeated team name at teams[].name first" },
  { file: TRAINING, site: "use the team's namespace name", rule: "a team's namespace is a DNS label", unreachable: TEAM_FIRST("teams[].name", "the name") },
  { file: TRAINING, site: "give every team its own namespace", rule: "teams do not share a namespace", unreachable: "a namespace is team-<name>, and MlPlatform reports a repeated name first" },
  { file: TRAINING, site: "use a whole number, 0 or more", rule: "a team's GPUs are a whole number", unreachable: TEAM_FIRST("teams[].quota.gpus", "it") },
  { file: TRAINING, site: "use a positive number", rule: "a team's CPU and memory are positive", unreachable: TEAM_FIRST("teams[].quota", "them") },
  {
    file: TRAINING,
    site: "the teams are guaranteed",
    rule: "with Kueue, each training pool holds every team's guaranteed GPUs",
    stack: (s) => (team(s).quota["gpus"] = 9),
    expected: [
      at(
        "gpu.pools[0].maxGpus",
        'the teams are guaranteed 9 GPUs in each training pool (the sum of teams[].gpus): raise maxGpus of "l4" to at least 9, lower the teams\' gpus, or leave this pool out of gpuPools, got 8',
      ),
    ],
  },

  // trainJob
  { file: TRAIN_JOB, site: '"name", args.name', rule: "a TrainJob name is an RFC 1035 label", unreachable: TRAIN_JOB_ONLY },
  { file: TRAIN_JOB, site: '"namespace"', rule: "a TrainJob's namespace is a DNS label", unreachable: TRAIN_JOB_ONLY },
  { file: TRAIN_JOB, site: "use ${CPU_RUNTIME_NAME} or", rule: "the runtime is one the platform ships", unreachable: TRAIN_JOB_ONLY },
  { file: TRAIN_JOB, site: '"image"', rule: "the image is pinned", unreachable: TRAIN_JOB_ONLY },
  { file: TRAIN_JOB, site: '"numNodes"', rule: "at least one node", unreachable: TRAIN_JOB_ONLY },
  { file: TRAIN_JOB, site: "use a whole number, 0 or more", rule: "GPUs per node are a whole number", unreachable: TRAIN_JOB_ONLY },
  { file: TRAIN_JOB, site: "GPUs need a GPU runtime", rule: "GPUs need a GPU runtime", unreachable: TRAIN_JOB_ONLY },
  { file: TRAIN_JOB, site: "ask for at least 1 GPU", rule: "a GPU runtime needs GPUs", unreachable: TRAIN_JOB_ONLY },
  { file: TRAIN_JOB, site: "use a positive number", rule: "CPU and memory per node are positive", unreachable: TRAIN_JOB_ONLY },
];
