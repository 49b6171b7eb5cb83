/**
 * Cluster: `ClusterBase` (platform namespaces, cert-manager, the workload PriorityClasses) and the operators
 * a cluster may already run (`ClusterOperator`, with the CRDs that prove each one is there).
 * Chart pins, value builders and plan functions stay inside this folder.
 */
export {
  ClusterBase,
  type CertManagerArgs,
  type ClusterBaseArgs,
  type PlatformNamespaceArgs,
  type PriorityClassesArgs,
} from "./cluster-base.js";
export { ClusterOperator, OPERATOR_CRDS } from "./operators.js";
export { WORKLOAD_CLASSES, WorkloadClass, type PriorityClassNames } from "./priority-classes.js";
