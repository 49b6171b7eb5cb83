import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { isDnsLabel, isPinnedImage, platformLabels, PodSecurityLevel, podSecurityLabels } from "../common/kubernetes.js";
import { groupSubjects } from "../tenancy/team-spec.js";
import { DEFAULT_NOTEBOOK_IMAGES, DEFAULT_NOTEBOOK_SIZES, type NotebookImage, type NotebookSize } from "./catalog.js";
import {
  CONTROLLER_RESOURCES,
  controllerEnv,
  NOTEBOOK_CONTROLLER_DEPLOYMENT,
  NOTEBOOK_CONTROLLER_METRICS_PORT,
  NOTEBOOK_CONTROLLER_NAMESPACE,
  NOTEBOOK_CONTROLLER_SOURCE,
  PODDEFAULTS_WEBHOOK_SOURCE,
  teamPodDefaults,
  type GatewayContext,
  type NotebookGpuPool,
} from "./notebook-spec.js";

/** Idle culling. */
export interface NotebookCullingArgs {
  /**
   * Stop idle notebooks.
   * @default true
   */
  enabled?: boolean;
  /**
   * Minutes without kernel activity before a notebook is stopped (its workspace volume stays).
   * @default 60
   */
  idleMinutes?: number;
  /**
   * How often the controller looks for idle notebooks, minutes.
   * @default 1
   */
  checkPeriodMinutes?: number;
}

/** A team whose namespace gets notebook defaults and rights. */
export interface NotebookTeamArgs {
  /** Team name. */
  name: string;
  /** The team's namespace. */
  namespace: string;
  /** Identity-provider groups allowed to manage Notebooks in the namespace. */
  groups: string[];
  /** The team's GPU quota: GPU sizes are offered only to teams that have one. */
  gpus: number;
}

export interface NotebookPlatformArgs {
  /**
   * Idle culling.
   * @default { enabled: true, idleMinutes: 60, checkPeriodMinutes: 1 }
   */
  culling?: NotebookCullingArgs;
  /** Teams that get PodDefaults, the catalog and notebook rights in their namespaces. */
  teams: NotebookTeamArgs[];
  /**
   * GPU pools meant for notebooks (placement from `MlPlatform.gpuPools`).
   * @default []
   */
  gpuPools?: NotebookGpuPool[];
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
   * @default true
   */
  podMonitor?: boolean;
  /**
   * Install Kubeflow Notebooks: the notebook controller (with culling) and the PodDefault webhook. Off when
   * the cluster already runs them: the platform then only adds its per-team objects, and culling is the
   * cluster's own setting.
   * @default true
   */
  installController?: boolean;
  /**
   * The AI gateway, injected into notebooks through the team's PodDefault.
   * @default none
   */
  gateway?: GatewayContext;
}

const COMPONENT = "NotebookPlatform";
/** Name of the per-team ConfigMap listing the images and sizes on offer. */
export const NOTEBOOK_CATALOG_CONFIG_MAP = "mlp-notebook-catalog";

/**
 * Kubeflow Notebooks without Istio: the notebook controller with idle culling, the PodDefault webhook, and
 * per team the PodDefaults that give notebooks their context, the catalog of images and sizes, and the
 * right to manage Notebooks in the team's namespace only. Notebooks are not exposed outside the cluster:
 * users reach them with `kubectl port-forward`.
 */
export class NotebookPlatform extends pulumi.ComponentResource {
  /** Namespace of the notebook controller. */
  public readonly controllerNamespace: pulumi.Output<string>;
  /** Every image on offer: Kubeflow's and the extra ones. */
  public readonly images: pulumi.Output<NotebookImage[]>;
  /** Every size on offer: the presets and the extra ones. */
  public readonly sizes: pulumi.Output<NotebookSize[]>;

  constructor(name: string, args: NotebookPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken(COMPONENT), name, {}, opts);
    const plan = planNotebookPlatform(name, args);
    const labels = platformLabels("notebooks");

    const webhook = plan.installController ? this.installController(name, plan, labels) : undefined;

    for (const team of plan.teams) {
      const teamOpts = { parent: this, dependsOn: webhook ? [webhook] : [] };
      const pools = team.gpus > 0 ? plan.gpuPools : [];
      for (const podDefault of teamPodDefaults(team.name, team.namespace, pools, plan.gateway)) {
        new k8s.apiextensions.CustomResource(
          `${name}-${team.name}-${podDefault.metadata.name}`,
          { ...podDefault, metadata: { ...podDefault.metadata, labels } },
          teamOpts,
        );
      }
      const sizes = plan.sizes.filter((size) => size.gpus === 0 || pools.length > 0);
      new k8s.core.v1.ConfigMap(
        `${name}-${team.name}-catalog`,
        {
          metadata: { name: NOTEBOOK_CATALOG_CONFIG_MAP, namespace: team.namespace, labels },
          data: {
            "images.json": JSON.stringify(plan.images, null, 2),
            "sizes.json": JSON.stringify(sizes, null, 2),
            "defaults.json": JSON.stringify({ workspaceGiB: plan.defaultWorkspaceGiB, gpuPools: pools.map((p) => p.name) }, null, 2),
          },
        },
        { parent: this },
      );
      // The built-in edit role does not cover Kubeflow's kinds; this Role does, in this namespace only.
      new k8s.rbac.v1.Role(
        `${name}-${team.name}-role`,
        {
          metadata: { name: "notebook-users", namespace: team.namespace, labels },
          rules: [
            { apiGroups: ["kubeflow.org"], resources: ["notebooks"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
            { apiGroups: ["kubeflow.org"], resources: ["poddefaults"], verbs: ["get", "list", "watch"] },
          ],
        },
        { parent: this },
      );
      new k8s.rbac.v1.RoleBinding(
        `${name}-${team.name}-binding`,
        {
          metadata: { name: "notebook-users", namespace: team.namespace, labels },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "notebook-users" },
          subjects: groupSubjects(team.groups),
        },
        { parent: this },
      );
    }

    this.controllerNamespace = pulumi.output(NOTEBOOK_CONTROLLER_NAMESPACE);
    this.images = pulumi.output(plan.images);
    this.sizes = pulumi.output(plan.sizes);
    this.registerOutputs({ controllerNamespace: this.controllerNamespace, images: this.images, sizes: this.sizes });
  }

  /** The controller with the platform's settings, its metrics, and the PodDefault webhook (returned). */
  private installController(name: string, plan: NotebookPlatformPlan, labels: Record<string, string>): pulumi.Resource {
    const controller = new k8s.kustomize.v2.Directory(`${name}-controller`, { directory: NOTEBOOK_CONTROLLER_SOURCE }, { parent: this });
    // The overlay creates its namespace without Pod Security labels; the controller complies with restricted.
    new k8s.core.v1.NamespacePatch(
      `${name}-controller-namespace`,
      { metadata: { name: NOTEBOOK_CONTROLLER_NAMESPACE, labels: { ...labels, ...podSecurityLabels(PodSecurityLevel.Restricted) } } },
      { parent: this, dependsOn: [controller] },
    );
    new k8s.apps.v1.DeploymentPatch(
      `${name}-controller-settings`,
      {
        metadata: { name: NOTEBOOK_CONTROLLER_DEPLOYMENT, namespace: NOTEBOOK_CONTROLLER_NAMESPACE },
        spec: { template: { spec: { containers: [{ name: "manager", env: controllerEnv(plan.culling), resources: CONTROLLER_RESOURCES }] } } },
      },
      { parent: this, dependsOn: [controller] },
    );
    if (plan.podMonitor) {
      new k8s.apiextensions.CustomResource(
        `${name}-controller-metrics`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PodMonitor",
          metadata: { name: "notebook-controller", namespace: NOTEBOOK_CONTROLLER_NAMESPACE, labels },
          spec: {
            selector: { matchLabels: { app: "notebook-controller" } },
            namespaceSelector: { matchNames: [NOTEBOOK_CONTROLLER_NAMESPACE] },
            // The manager declares no container port, so the endpoint is addressed by number.
            podMetricsEndpoints: [{ portNumber: NOTEBOOK_CONTROLLER_METRICS_PORT, path: "/metrics", interval: "30s" }],
          },
        },
        { parent: this, dependsOn: [controller] },
      );
    }
    return new k8s.kustomize.v2.Directory(`${name}-poddefaults-webhook`, { directory: PODDEFAULTS_WEBHOOK_SOURCE }, { parent: this });
  }
}

/** NotebookPlatform args with every default applied. */
export interface NotebookPlatformPlan {
  culling: { enabled: boolean; idleMinutes: number; checkPeriodMinutes: number };
  teams: NotebookTeamArgs[];
  gpuPools: NotebookGpuPool[];
  images: NotebookImage[];
  sizes: NotebookSize[];
  defaultWorkspaceGiB: number;
  podMonitor: boolean;
  installController: boolean;
  gateway?: GatewayContext;
}

/**
 * Validates NotebookPlatform args and applies defaults; throws `InputPropertyError` (`InputPropertiesError`
 * for several) naming each property.
 */
export function planNotebookPlatform(name: string, args: NotebookPlatformArgs): NotebookPlatformPlan {
  const problems = argumentProblems(COMPONENT, name);
  const whole = (property: string, value: number, min: number): number => {
    if (!(Number.isInteger(value) && value >= min)) problems.add(property, value, `use a whole number of at least ${min}`);
    return value;
  };
  const culling = {
    enabled: args.culling?.enabled ?? true,
    idleMinutes: whole("culling.idleMinutes", args.culling?.idleMinutes ?? 60, 1),
    checkPeriodMinutes: whole("culling.checkPeriodMinutes", args.culling?.checkPeriodMinutes ?? 1, 1),
  };
  const extraImages = args.extraImages ?? [];
  const extraSizes = args.extraSizes ?? [];
  extraImages.forEach((image, i) => {
    if (!isPinnedImage(image.image)) problems.add(`extraImages[${i}].image`, image.image, "pin the image to a release tag or a digest (not latest)");
  });
  // Names are what a user picks from the catalog and what the spawner's form submits.
  for (const [property, list, example] of [["extraImages", extraImages, "jupyter-r"], ["extraSizes", extraSizes, "xlarge"]] as const) {
    list.forEach((item, i) => {
      if (!isDnsLabel(item.name)) problems.add(`${property}[${i}].name`, item.name, `use a DNS label (lower-case letters, digits and '-'), e.g. "${example}"`);
    });
  }
  extraSizes.forEach((size, i) => {
    for (const key of ["cpu", "memoryGiB"] as const) {
      if (!(Number.isFinite(size[key]) && size[key] > 0)) problems.add(`extraSizes[${i}].${key}`, size[key], "use a positive number");
    }
    if (!(Number.isInteger(size.gpus) && size.gpus >= 0)) problems.add(`extraSizes[${i}].gpus`, size.gpus, "use a whole number, 0 or more");
  });
  const images = [...DEFAULT_NOTEBOOK_IMAGES, ...extraImages];
  const sizes = [...DEFAULT_NOTEBOOK_SIZES, ...extraSizes];
  for (const [what, list, defaults] of [
    ["image", images, DEFAULT_NOTEBOOK_IMAGES.length],
    ["size", sizes, DEFAULT_NOTEBOOK_SIZES.length],
  ] as const) {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      // The defaults come first and are unique, so a repeated name is always an extra one.
      if (seen.has(item.name)) problems.add(`extra${what === "image" ? "Images" : "Sizes"}[${i - defaults}].name`, item.name, `each ${what} name may appear once`);
      seen.add(item.name);
    });
  }
  args.teams.forEach((team, i) => {
    if (!isDnsLabel(team.namespace)) problems.add(`teams[${i}].namespace`, team.namespace, "use a namespace name");
    if (team.groups.length === 0) problems.add(`teams[${i}].groups`, team.groups, "name at least one group allowed to manage notebooks");
  });
  const defaultWorkspaceGiB = whole("defaultWorkspaceGiB", args.defaultWorkspaceGiB ?? 10, 1);
  problems.throwIfAny();
  return {
    culling,
    teams: args.teams,
    gpuPools: [...(args.gpuPools ?? [])],
    images,
    sizes,
    defaultWorkspaceGiB,
    podMonitor: args.podMonitor ?? true,
    installController: args.installController ?? true,
    ...(args.gateway ? { gateway: args.gateway } : {}),
  };
}
