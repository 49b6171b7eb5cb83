import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { isExactChartVersion, type HelmChartPin } from "../common/helm.js";
import { isDnsLabel } from "../common/kubernetes.js";

/**
 * CloudNativePG operator chart, pinned. 0.29.0 installs operator 1.30.0 (appVersion), the release our
 * validated CRDs come from (cloudnative-pg/charts tag `cloudnative-pg-v0.29.0`, June 2026; its tarball is
 * pinned by sha256 in several public repositories). 0.29.1 (operator 1.30.1) followed in September 2026:
 * check `helm search repo cnpg/cloudnative-pg --versions` before bumping. The chart version also pins the
 * operator image: the chart's `image.tag` defaults to its appVersion.
 */
export const CLOUDNATIVE_PG_CHART: HelmChartPin = {
  chart: "cloudnative-pg",
  repository: "https://cloudnative-pg.github.io/charts",
  version: "0.29.0",
};

/**
 * barman-cloud plugin chart, pinned. 0.7.1 (July 2026) is the newest 0.7.x; it installs plugin v0.14.0, the
 * release our ObjectStore CRD comes from (public chart diffs: 0.7.0 shipped v0.13.0, and 0.8.0 moved the
 * images from v0.14.0 to v0.15.0). It needs cert-manager: the operator and the plugin talk over mutual TLS
 * with certificates the chart requests from its own self-signed Issuer.
 */
export const BARMAN_CLOUD_PLUGIN_CHART: HelmChartPin = {
  chart: "plugin-barman-cloud",
  repository: "https://cloudnative-pg.github.io/charts",
  version: "0.7.1",
};

/** Namespace of the operator and the plugin; the plugin must run in the operator's namespace. */
export const CNPG_NAMESPACE = "cnpg-system";
/** Helm release names, as upstream's install instructions use them (`cnpg`), so object names match the docs. */
export const CNPG_RELEASE_NAME = "cnpg";
export const BARMAN_CLOUD_PLUGIN_RELEASE_NAME = "plugin-barman-cloud";

// The operator caches every Cluster, Pod, PVC and Secret it manages; limits leave room for that cache to
// grow with the number of clusters, requests fit the handful the platform runs.
const OPERATOR_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };
// The plugin's manager only reconciles ObjectStores and injects sidecars; the heavy lifting (uploads) runs
// in the sidecar inside each instance pod.
const PLUGIN_RESOURCES = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

/**
 * Helm values of the CloudNativePG chart (keys from cloudnative-pg/charts `charts/cloudnative-pg/values.yaml`:
 * `crds.create`, `resources`). CRDs are chart templates here, so the chart installs them: every Cluster
 * depends on this chart.
 */
export function cloudNativePgValues(): Record<string, unknown> {
  return {
    crds: { create: true },
    resources: OPERATOR_RESOURCES,
  };
}

/** Helm values of the barman-cloud plugin chart (`crds.create`, `resources`, from its values.yaml). */
export function barmanCloudPluginValues(): Record<string, unknown> {
  return {
    crds: { create: true },
    resources: PLUGIN_RESOURCES,
  };
}

export interface CloudNativePgOperatorArgs {
  /**
   * Namespace of the operator and the plugin. The caller creates it and passes it in `dependsOn`.
   * @default "cnpg-system"
   */
  namespace?: string;
  /**
   * Exact `cloudnative-pg` chart version.
   * @default CLOUDNATIVE_PG_CHART.version ("0.29.0", operator 1.30.0)
   */
  version?: string;
  /**
   * Install the barman-cloud plugin, which PostgresCluster backups need. It needs cert-manager: pass
   * cert-manager's release in `dependsOn`.
   * @default false
   */
  barmanCloudPlugin?: boolean;
  /**
   * Exact `plugin-barman-cloud` chart version.
   * @default BARMAN_CLOUD_PLUGIN_CHART.version ("0.7.1", plugin v0.14.0)
   */
  barmanCloudPluginVersion?: string;
}

const COMPONENT = "CloudNativePgOperator";

/**
 * The CloudNativePG operator (cluster-wide, with its CRDs) and, when backups are wanted, the barman-cloud
 * plugin that archives WAL and takes base backups to object storage. One per Kubernetes cluster; every
 * PostgresCluster passes this component in `dependsOn`.
 */
export class CloudNativePgOperator extends pulumi.ComponentResource {
  /** Namespace of the operator (and the plugin). */
  public readonly namespace: pulumi.Output<string>;
  /** Whether the barman-cloud plugin is installed, i.e. whether PostgresCluster backups can work. */
  public readonly barmanCloudPluginEnabled: pulumi.Output<boolean>;

  constructor(name: string, args: CloudNativePgOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken(COMPONENT), name, {}, opts);
    const { namespace, version, pluginVersion, plugin } = planCloudNativePgOperator(name, args);

    // A Chart, not a Release: neither chart relies on Helm hooks (only a `helm test` pod, which Chart skips).
    const operator = new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        name: CNPG_RELEASE_NAME,
        chart: CLOUDNATIVE_PG_CHART.chart,
        repositoryOpts: { repo: CLOUDNATIVE_PG_CHART.repository },
        version,
        namespace,
        values: cloudNativePgValues(),
      },
      { parent: this },
    );
    if (plugin) {
      // After the operator: the plugin's RBAC and the sidecars it injects refer to CloudNativePG's kinds.
      new k8s.helm.v4.Chart(
        `${name}-barman-cloud`,
        {
          name: BARMAN_CLOUD_PLUGIN_RELEASE_NAME,
          chart: BARMAN_CLOUD_PLUGIN_CHART.chart,
          repositoryOpts: { repo: BARMAN_CLOUD_PLUGIN_CHART.repository },
          version: pluginVersion,
          namespace,
          values: barmanCloudPluginValues(),
        },
        { parent: this, dependsOn: [operator] },
      );
    }

    this.namespace = pulumi.output(namespace);
    this.barmanCloudPluginEnabled = pulumi.output(plugin);
    this.registerOutputs({ namespace: this.namespace, barmanCloudPluginEnabled: this.barmanCloudPluginEnabled });
  }
}

/** CloudNativePgOperator args with defaults applied. */
export interface CloudNativePgOperatorPlan {
  namespace: string;
  version: string;
  pluginVersion: string;
  plugin: boolean;
}

/**
 * Validates CloudNativePgOperator args and applies defaults; throws `InputPropertyError`
 * (`InputPropertiesError` for several) naming each property and the fix.
 */
export function planCloudNativePgOperator(name: string, args: CloudNativePgOperatorArgs): CloudNativePgOperatorPlan {
  const problems = argumentProblems(COMPONENT, name);
  const namespace = args.namespace ?? CNPG_NAMESPACE;
  if (!isDnsLabel(namespace)) problems.add("namespace", namespace, "use a namespace name (a DNS label)");
  const chartVersion = (property: string, value: string, pin: HelmChartPin): string => {
    if (!(isExactChartVersion(value) && !value.startsWith("v"))) problems.add(property, value, `use an exact chart version without "v", such as "${pin.version}"`);
    return value;
  };
  const version = chartVersion("version", args.version ?? CLOUDNATIVE_PG_CHART.version, CLOUDNATIVE_PG_CHART);
  const pluginVersion = chartVersion("barmanCloudPluginVersion", args.barmanCloudPluginVersion ?? BARMAN_CLOUD_PLUGIN_CHART.version, BARMAN_CLOUD_PLUGIN_CHART);
  problems.throwIfAny();
  return { namespace, version, pluginVersion, plugin: args.barmanCloudPlugin ?? false };
}
