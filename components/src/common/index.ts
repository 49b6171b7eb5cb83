/**
 * What every capability shares and a library user relies on: the errors components throw for bad
 * arguments (one, or all of a component's at once), and the checks they apply to names, versions, images
 * and CIDRs (a stack's own config schema can refuse the same values before any component runs). Type
 * tokens, the problem collector, label builders and other utilities stay inside this folder.
 */
export { ComponentArgumentError, ComponentArgumentErrors } from "./component.js";
export { isExactChartVersion } from "./helm.js";
export {
  isCidr,
  isDnsLabel,
  isHostName,
  isPinnedImage,
  type ClusterProvider,
  type PodSecurityLevel,
} from "./kubernetes.js";
