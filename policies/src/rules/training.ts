/** The training rule: TrainJobs use a training runtime the platform ships. */
import { stackRule } from "../enforcement.js";
import { asString, dig, isKind, objectNameOf } from "../kubernetes.js";
import { ADVISORY_UNTIL_STAGING } from "./common.js";

/** TrainJobs name a training runtime the platform ships (a ClusterTrainingRuntime in this stack). */
export const trainJobRuntime = stackRule({
  id: "trainjob-runtime",
  description: "TrainJobs reference a ClusterTrainingRuntime the platform ships.",
  remediationSteps: "Set spec.runtimeRef.name to one of the platform's runtimes (torch-distributed-cpu, torch-distributed-gpu-<pool>).",
  enforcement: ADVISORY_UNTIL_STAGING,
  settings: [],
  check({ resources }, _settings, report) {
    const shipped = new Set(
      resources
        .filter((resource) => isKind(resource.type, "trainer.kubeflow.org", "ClusterTrainingRuntime"))
        .map((resource) => objectNameOf(resource.props, resource.name)),
    );
    for (const job of resources.filter((resource) => isKind(resource.type, "trainer.kubeflow.org", "TrainJob"))) {
      const runtimeKind = asString(dig(job.props, "spec", "runtimeRef", "kind")) ?? "ClusterTrainingRuntime";
      const runtime = asString(dig(job.props, "spec", "runtimeRef", "name")) ?? "";
      if (runtimeKind !== "ClusterTrainingRuntime" || !shipped.has(runtime)) {
        const offered = shipped.size > 0 ? [...shipped].sort().join(", ") : "none (training is not enabled in this stack)";
        report(`TrainJob "${objectNameOf(job.props, job.name)}" uses runtime ${runtimeKind}/"${runtime}", which the platform does not ship: use one of ${offered}`, job.urn);
      }
    }
  },
});
