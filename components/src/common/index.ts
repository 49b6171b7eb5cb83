/**
 * What every capability shares and a library user relies on: the errors components throw for bad
 * arguments (one, or all of a component's at once), and the DNS-label check a program applies to names
 * only it uses (the stack config's own names). Components check every other value themselves. Type tokens,
 * the problem collector, label builders and the other checks stay inside this folder.
 */
export { ComponentArgumentError, ComponentArgumentErrors } from "./component.js";
export {
  CLUSTER_PROVIDERS,
  ClusterProvider,
  isDnsLabel,
  POD_SECURITY_LEVELS,
  PodSecurityLevel,
  TAINT_EFFECTS,
  TaintEffect,
  TOLERATION_OPERATORS,
  TolerationOperator,
} from "./kubernetes.js";
