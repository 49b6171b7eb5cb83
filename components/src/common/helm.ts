/**
 * How the platform pins a Helm chart: every chart has a repository, a chart name and an exact version.
 * Capabilities declare their defaults with `pinnedChart`, and let callers override the version.
 */
export interface HelmChartPin {
  /** Chart name in the repository, e.g. `cert-manager`. */
  chart: string;
  /** Repository URL (`https://...`) or an OCI registry path (`oci://...`, then `chart` is empty). */
  repository: string;
  /** Exact chart version. Ranges and `latest` are refused. */
  version: string;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** True when `version` is an exact semantic version (optionally `v`-prefixed), never a range. */
export function isExactChartVersion(version: string): boolean {
  return EXACT_VERSION.test(version);
}
