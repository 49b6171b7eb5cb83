/**
 * The two operators behind training, pinned, and the Helm values the platform gives them: Kubeflow
 * Trainer (which bundles JobSet) and Kueue. Value keys were checked against the charts' own values.yaml.
 */
import type { HelmChartPin } from "../common/helm.js";

/**
 * Kubeflow Trainer, pinned. 2.3.0 is the newest release in August 2026 (github.com/kubeflow/trainer releases) and the tag our
 * validated CRDs come from. An OCI chart: `repository` is the whole reference, `chart` is empty. Its
 * Chart.yaml bundles JobSet 0.12.0 as a subchart (`jobset.install`), and its CRDs are chart templates
 * (`crds.enabled`, kubeflow/trainer#3655), so the release itself installs TrainJob and the runtime kinds.
 */
export const TRAINER_CHART: HelmChartPin = {
  chart: "",
  repository: "oci://ghcr.io/kubeflow/charts/kubeflow-trainer",
  version: "2.3.0",
};

/**
 * Kueue, pinned. 0.19.2 was promoted to registry.k8s.io on 2026-08-20 (kubernetes/k8s.io#9856, chart
 * `charts/kueue:0.19.2`), the release the CRDs we validate against come from. Chart versions carry no `v`;
 * image tags do.
 */
export const KUEUE_CHART: HelmChartPin = {
  chart: "",
  repository: "oci://registry.k8s.io/kueue/charts/kueue",
  version: "0.19.2",
};

/** Namespace of the Trainer controller and JobSet (upstream's default; the runtimes are cluster-scoped). */
export const TRAINER_NAMESPACE = "kubeflow-system";
/** Namespace of the Kueue controller (upstream's default; its default config excludes this namespace from queueing). */
export const KUEUE_NAMESPACE = "kueue-system";
/** Helm release names: fixed, so the operators' Deployments and webhooks have stable, upstream-documented names. */
export const TRAINER_RELEASE_NAME = "kubeflow-trainer";
export const KUEUE_RELEASE_NAME = "kueue";

/** The `chart` argument of a Helm resource for a pin: the OCI reference, or the chart name in its repository. */
export function chartReference(pin: HelmChartPin): string {
  return pin.chart === "" ? pin.repository : pin.chart;
}

/** Image tag of a release built from a chart version (`2.3.0` -> `v2.3.0`), how both projects tag images. */
export function imageTagFor(chartVersion: string): string {
  return `v${chartVersion}`;
}

// Requests sized for a few hundred TrainJobs; limits leave room for informer caches, which grow with the
// number of Jobs, Pods and Workloads the controllers watch.
const TRAINER_MANAGER_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };
// Upstream asks for 500m and allows 4Gi; JobSet only reconciles the JobSets of running TrainJobs here.
const JOBSET_CONTROLLER_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "2Gi" } };
// Upstream's request (500m/512Mi) with a memory limit that is not also the request: Kueue caches every
// Workload, and an OOM-killed admission controller stops all admission.
const KUEUE_MANAGER_RESOURCES = { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } };

/**
 * Helm values of Kubeflow Trainer. Every container the chart renders gets requests and limits (manager and
 * JobSet controller; the runtimes installer Job is not rendered, see below), and the image tag is pinned
 * explicitly so releases.yaml shows it.
 *
 * `runtimes.defaultEnabled: false`: the platform ships its own ClusterTrainingRuntimes as Pulumi
 * resources instead. Upstream's runtimes carry no GPU toleration, node selector or PriorityClass, so GPU
 * jobs built from them would never schedule on the tainted GPU pools; and they are applied by a
 * post-install hook Job that installs kubectl from a package mirror at run time, which Pulumi can neither
 * preview, diff nor validate, and which needs egress a locked-down cluster does not give it.
 */
export function trainerValues(chartVersion: string): Record<string, unknown> {
  return {
    crds: { enabled: true },
    image: { tag: imageTagFor(chartVersion) },
    manager: { resources: TRAINER_MANAGER_RESOURCES },
    jobset: { install: true, controller: { resources: JOBSET_CONTROLLER_RESOURCES } },
    runtimes: { defaultEnabled: false },
  };
}

/**
 * Helm values of Kueue. The chart's image defaults point at the staging registry with tag `main` in its
 * repository copy (release packaging rewrites them); the image is pinned here so it is the released one
 * whatever the packaging did. Kueue's default config already integrates `trainer.kubeflow.org/trainjob`
 * and only manages jobs that carry a queue label, so nothing else is overridden.
 */
export function kueueValues(chartVersion: string, metricsNamespace?: string): Record<string, unknown> {
  return {
    controllerManager: {
      manager: {
        image: { repository: "registry.k8s.io/kueue/kueue", tag: imageTagFor(chartVersion), pullPolicy: "IfNotPresent" },
        resources: KUEUE_MANAGER_RESOURCES,
      },
    },
    // The chart's ServiceMonitor (HTTPS, the scraper's service account token; Kueue checks it may get
    // /metrics) and a Role for the Prometheus in that namespace to discover the metrics Service.
    ...(metricsNamespace !== undefined ? { enablePrometheus: true, metrics: { prometheusNamespace: metricsNamespace } } : {}),
  };
}
