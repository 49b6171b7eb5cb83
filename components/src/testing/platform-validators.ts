/**
 * Validators for the custom resources the platform's components declare. Upstream `kubernetes-models`
 * packages where they exist; a check written from the upstream CRD where none does (AKSNodeClass).
 * `buildArtifacts` uses these by default, so a program built from our components validates fully.
 */
import { ComputeClass } from "@kubernetes-models/gke/cloud.google.com/v1/ComputeClass";
import { EC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import { NodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { DATABASE_VALIDATORS } from "../database/validators.js";
import { NOTEBOOK_VALIDATORS } from "../notebooks/validators.js";
import { TRAINING_VALIDATORS } from "../training/validators.js";
import { modelValidator, type ManifestValidator } from "./validate.js";

/** Top-level `spec` fields of AKSNodeClass v1beta1 (karpenter.azure.com, Azure/karpenter-provider-azure v1.14.2). */
const AKS_NODE_CLASS_FIELDS = new Set([
  "artifactStreaming",
  "fipsMode",
  "gpu",
  "imageFamily",
  "kubelet",
  "linuxOSConfig",
  "localDNS",
  "maxPods",
  "osDiskSizeGB",
  "security",
  "tags",
  "vnetSubnetID",
]);
const AKS_IMAGE_FAMILIES = ["Ubuntu", "Ubuntu2204", "Ubuntu2404", "AzureLinux"];

/** AKSNodeClass checks from its CRD: known fields, enums and integer types of what the platform sets. */
export const validateAksNodeClass: ManifestValidator = (object) => {
  const problems: string[] = [];
  const spec = object["spec"];
  if (spec === undefined) return problems;
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) return ["spec must be object"];
  const fields = spec as Record<string, unknown>;
  for (const key of Object.keys(fields)) if (!AKS_NODE_CLASS_FIELDS.has(key)) problems.push(`spec.${key} is not a field of AKSNodeClass`);
  if (fields["imageFamily"] !== undefined && !AKS_IMAGE_FAMILIES.includes(fields["imageFamily"] as string)) {
    problems.push(`spec.imageFamily must be one of ${AKS_IMAGE_FAMILIES.join(", ")}`);
  }
  for (const key of ["osDiskSizeGB", "maxPods"]) {
    if (fields[key] !== undefined && !Number.isInteger(fields[key])) problems.push(`spec.${key} must be integer`);
  }
  const gpu = fields["gpu"] as Record<string, unknown> | undefined;
  if (gpu !== undefined && gpu["mode"] !== undefined && !["Driver", "None"].includes(gpu["mode"] as string)) {
    problems.push("spec.gpu.mode must be one of Driver, None");
  }
  return problems;
};

/** Validators keyed `<apiVersion>/<kind>`. */
export const PLATFORM_VALIDATORS: Readonly<Record<string, ManifestValidator>> = {
  "karpenter.sh/v1/NodePool": modelValidator(NodePool),
  "karpenter.k8s.aws/v1/EC2NodeClass": modelValidator(EC2NodeClass),
  "karpenter.azure.com/v1beta1/AKSNodeClass": validateAksNodeClass,
  "cloud.google.com/v1/ComputeClass": modelValidator(ComputeClass),
  "monitoring.coreos.com/v1/PodMonitor": modelValidator(PodMonitor),
  "monitoring.coreos.com/v1/ServiceMonitor": modelValidator(ServiceMonitor),
  "gateway.networking.k8s.io/v1/HTTPRoute": modelValidator(HTTPRoute),
  ...NOTEBOOK_VALIDATORS,
  ...TRAINING_VALIDATORS,
  ...DATABASE_VALIDATORS,
};
