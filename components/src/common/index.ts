/**
 * What every capability shares and a library user relies on: the error components throw for a bad
 * argument, and the checks they apply to names, versions, images and CIDRs (a stack's own config schema
 * can refuse the same values before any component runs). Type tokens, label builders and other utilities
 * stay inside this folder.
 */
export { ComponentArgumentError } from "./component.js";
export { isExactChartVersion } from "./helm.js";
export {
  isCidr,
  isDnsLabel,
  isHostName,
  isPinnedImage,
  type ClusterProvider,
  type PodSecurityLevel,
} from "./kubernetes.js";
