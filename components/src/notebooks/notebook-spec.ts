/**
 * What the notebook capability declares, as pure functions: the controller's culling settings, the
 * PodDefaults a team's notebooks receive, and a complete Notebook for a team, image and size.
 */
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { GATEWAY_KEY_SECRET_KEY } from "../gateway/gateway-team-secret.js";
import type { GpuToleration } from "../gpu/node-pool-spec.js";
import { formatCpu, formatGiB, TEAM_LABEL } from "../tenancy/team-spec.js";
import type { NotebookImage, NotebookSize } from "./catalog.js";
import type { Notebook, PodDefault } from "./types.js";

/** Kubeflow notebook controller, standalone overlay (no Istio), pinned to v1.11.0 (github.com/kubeflow/notebooks releases). */
export const NOTEBOOK_CONTROLLER_SOURCE =
  "github.com/kubeflow/notebooks/components/notebook-controller/config/overlays/standalone?ref=v1.11.0";
/** Where the standalone overlay puts the controller, and what it names its Deployment. */
export const NOTEBOOK_CONTROLLER_NAMESPACE = "notebook-controller-system";
export const NOTEBOOK_CONTROLLER_DEPLOYMENT = "notebook-controller-deployment";
/** The controller's metrics port (notebook_running, notebook_create_total, ...). */
export const NOTEBOOK_CONTROLLER_METRICS_PORT = 8080;
/** PodDefault admission webhook (kubeflow/dashboard v2.0.0), with certificates from cert-manager. */
export const PODDEFAULTS_WEBHOOK_SOURCE =
  "github.com/kubeflow/dashboard/components/poddefaults-webhooks/manifests/kustomize/overlays/cert-manager?ref=v2.0.0";
export const PODDEFAULTS_WEBHOOK_NAMESPACE = "kubeflow";

/** Pods labelled with this get the team's platform context (team name, gateway URL and key). */
export const CONTEXT_LABEL = "mlops-platform.io/inject-context";
/** Pods labelled with a pool name get that pool's GPU toleration. */
export const GPU_POOL_SELECTOR_LABEL = "mlops-platform.io/gpu-pool";

export interface CullingInput {
  enabled: boolean;
  /** Minutes a notebook may sit idle (no kernel activity) before the controller stops it. */
  idleMinutes: number;
  /** How often the controller checks, minutes. */
  checkPeriodMinutes: number;
}

/**
 * Environment of the controller's manager container. Explicit `env` wins over the overlay's `envFrom`
 * ConfigMap, whose generated name carries a hash and cannot be patched by name.
 */
export function controllerEnv(culling: CullingInput): Array<{ name: string; value: string }> {
  return [
    // No Istio: notebooks are reached by port-forward, or through the platform's own routes.
    { name: "USE_ISTIO", value: "false" },
    { name: "ENABLE_CULLING", value: String(culling.enabled) },
    { name: "CULL_IDLE_TIME", value: String(culling.idleMinutes) },
    { name: "IDLENESS_CHECK_PERIOD", value: String(culling.checkPeriodMinutes) },
  ];
}

/** Resources of the controller's manager container (the overlay sets none). */
export const CONTROLLER_RESOURCES = {
  requests: { cpu: "50m", memory: "128Mi" },
  limits: { cpu: "500m", memory: "512Mi" },
} as const;

/** A GPU pool notebooks may use: how its pods are placed (what `MlPlatform.gpuPools` reports for each pool). */
export interface NotebookGpuPool {
  /** Pool name; the pool's PodDefault is `gpu-<name>`. */
  name: string;
  /** Node selector that lands a pod on the pool's nodes. */
  nodeSelector: Record<string, string>;
  /** Tolerations of the pool's GPU taint. */
  tolerations: GpuToleration[];
}

/** Connection to the AI gateway, once that capability exists. */
export interface GatewayContext {
  /** In-cluster URL of the gateway's OpenAI-compatible endpoint. */
  url: string;
  /** Name of the Secret in each team namespace holding the team's key under `api-key`. */
  keySecretName: string;
}

/**
 * PodDefaults of one team: the platform context for every notebook that asks for it, and a GPU
 * toleration per pool. Secrets are referenced, never copied: the gateway key comes from a Secret.
 */
export function teamPodDefaults(team: string, namespace: string, pools: readonly NotebookGpuPool[], gateway?: GatewayContext): PodDefault[] {
  const env = [
    { name: "MLP_TEAM", value: team },
    { name: "MLP_NAMESPACE", value: namespace },
    ...(gateway
      ? [
          { name: "MLP_GATEWAY_URL", value: gateway.url },
          // The OpenAI SDKs read these, so notebooks call the gateway without any code change.
          { name: "OPENAI_BASE_URL", value: gateway.url },
          // Optional: a notebook still starts before the team's key exists (it then calls the gateway unauthenticated and is refused).
          { name: "OPENAI_API_KEY", valueFrom: { secretKeyRef: { name: gateway.keySecretName, key: GATEWAY_KEY_SECRET_KEY, optional: true } } },
        ]
      : []),
  ];
  const context: PodDefault = {
    apiVersion: "kubeflow.org/v1alpha1",
    kind: "PodDefault",
    metadata: { name: "platform-context", namespace },
    spec: {
      desc: gateway ? "Team context and AI gateway access" : "Team context",
      selector: { matchLabels: { [CONTEXT_LABEL]: "true" } },
      env,
      // Prometheus keeps this label on every series it scrapes from the pod (team dashboards, cost).
      labels: { [TEAM_LABEL]: team },
    },
  };
  const gpu = pools.map(
    (pool): PodDefault => ({
      apiVersion: "kubeflow.org/v1alpha1",
      kind: "PodDefault",
      metadata: { name: `gpu-${pool.name}`, namespace },
      spec: {
        desc: `GPU pool ${pool.name}`,
        selector: { matchLabels: { [GPU_POOL_SELECTOR_LABEL]: pool.name } },
        tolerations: pool.tolerations,
      },
    }),
  );
  return [context, ...gpu];
}

/** What `notebookFor` needs. */
export interface NotebookRequest {
  name: string;
  namespace: string;
  image: NotebookImage;
  size: NotebookSize;
  /** Required for GPU sizes. */
  gpuPool?: NotebookGpuPool;
  /** Size of the workspace volume mounted at /home/jovyan. */
  workspaceGiB: number;
  /** @default none */
  priorityClassName?: string;
}

/**
 * A Notebook and its workspace claim for a team. Requests equal limits (a notebook never squeezes its
 * neighbours), the pod runs under the `restricted` Pod Security profile, and a GPU size gets the GPU
 * limit, the pool's node selector and toleration. Throws when a GPU size has no pool or the image has
 * no CUDA: such a notebook could never use its GPU.
 */
export function notebookFor(request: NotebookRequest): { notebook: Notebook; workspace: IPersistentVolumeClaim } {
  const { name, namespace, image, size } = request;
  if (size.gpus > 0 && !request.gpuPool) throw new Error(`size "${size.name}" needs a GPU pool for notebooks`);
  if (size.gpus > 0 && !image.cuda) throw new Error(`size "${size.name}" has GPUs but image "${image.name}" has no CUDA`);
  const amounts: Record<string, string> = { cpu: formatCpu(size.cpu), memory: formatGiB(size.memoryGiB) };
  if (size.gpus > 0) amounts["nvidia.com/gpu"] = String(size.gpus);
  const workspaceName = `workspace-${name}`;
  const pool = size.gpus > 0 ? request.gpuPool : undefined;
  const notebook: Notebook = {
    apiVersion: "kubeflow.org/v1",
    kind: "Notebook",
    metadata: {
      name,
      namespace,
      labels: { [CONTEXT_LABEL]: "true", ...(pool ? { [GPU_POOL_SELECTOR_LABEL]: pool.name } : {}) },
    },
    spec: {
      template: {
        spec: {
          ...(request.priorityClassName ? { priorityClassName: request.priorityClassName } : {}),
          ...(pool ? { nodeSelector: pool.nodeSelector, tolerations: pool.tolerations } : {}),
          // jovyan (1000) in group users (100): the workspace volume is writable without root.
          securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 100, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name,
              image: image.image,
              resources: { requests: amounts, limits: { ...amounts } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              volumeMounts: [{ name: "workspace", mountPath: "/home/jovyan" }],
            },
          ],
          volumes: [{ name: "workspace", persistentVolumeClaim: { claimName: workspaceName } }],
        },
      },
    },
  };
  const workspace: IPersistentVolumeClaim = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: workspaceName, namespace },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: formatGiB(request.workspaceGiB) } } },
  };
  return { notebook, workspace };
}
