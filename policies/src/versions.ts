/**
 * What counts as pinned for `pinned-versions`: container images, Helm chart versions, remote kustomize
 * directories. Each check returns undefined when the reference is pinned, or the problem in a few words
 * (the rule adds which object and how to fix it).
 */

// Tags that name a moving target, not a release.
const FLOATING_TAGS: ReadonlySet<string> = new Set(["latest", "main", "master", "nightly", "edge"]);

/**
 * Why a container image is not pinned, or undefined when it is: a digest (`@sha256:...`) pins it whatever
 * the tag; otherwise it needs a tag that is not a moving one (`latest`, `main`, `master`, `nightly`, `edge`).
 */
export function imagePinProblem(image: string): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  if (image.includes("@")) return "has a digest that is not sha256:<64 hex digits>";
  const lastSlash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  // A colon before the last slash is a registry port (localhost:5000/app), not a tag.
  const tag = colon > lastSlash ? image.slice(colon + 1) : "";
  if (tag === "") return "has no tag, so it resolves to latest";
  if (FLOATING_TAGS.has(tag.toLowerCase())) return `uses the moving tag "${tag}"`;
  return undefined;
}

const EXACT_CHART_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Why a Helm chart version is not exact, or undefined when it is. Helm reads `version` as a semver
 * constraint, so anything but a full `MAJOR.MINOR.PATCH` (optionally `v`-prefixed, with pre-release or
 * build suffix) may resolve to a different chart tomorrow: `^1.2`, `~1.2.0`, `1.x`, `>=1`, `1.2`, empty.
 */
export function chartVersionProblem(version: unknown): string | undefined {
  if (version === undefined || version === null || version === "") return "sets no version";
  if (typeof version !== "string") return `has version ${JSON.stringify(version)}, which is not a string`;
  return EXACT_CHART_VERSION.test(version.trim()) ? undefined : `has version "${version}", which is a range`;
}

/**
 * True when a chart reference carries its own version, so `version` is not needed: a local chart directory
 * (`./charts/x`, `/abs/path`) is versioned with the repository, a `.tgz` archive by its file name.
 */
export function chartIsSelfVersioned(chart: string): boolean {
  return /^(\.{1,2}\/|\/)/.test(chart) || /\.tgz$/i.test(chart);
}

// Remote kustomize targets: URLs (https://, ssh://, git::...), scp-like git@host:path, or host/path.
const REMOTE_DIRECTORY = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|git::|[a-z0-9-]+(?:\.[a-z0-9-]+)+\/)/i;

/** True when a kustomize `directory` is fetched from a git remote rather than read from disk. */
export function isRemoteDirectory(directory: string): boolean {
  return REMOTE_DIRECTORY.test(directory);
}

const COMMIT_SHA = /^[0-9a-f]{7,40}$/;
// A release tag: an optional prefix ending in / or -, then MAJOR.MINOR.PATCH. Release *branches* are
// usually two-part (release-1.9, v1.9-branch) and so are rejected.
const RELEASE_TAG = /^(?:[\w.-]*[/-])?v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

/**
 * Why a remote kustomize directory is not pinned, or undefined when it is: it needs `?ref=` (or the older
 * `?version=`) naming a commit SHA or a release tag. A branch name cannot be told from a tag in general,
 * so anything that is neither a SHA nor a MAJOR.MINOR.PATCH tag counts as a branch.
 */
export function directoryRefProblem(directory: string): string | undefined {
  const query = directory.includes("?") ? directory.slice(directory.indexOf("?") + 1) : "";
  const params = new URLSearchParams(query);
  const ref = params.get("ref") ?? params.get("version") ?? "";
  if (ref === "") return "has no ?ref=";
  if (COMMIT_SHA.test(ref) || (RELEASE_TAG.test(ref) && !/branch/i.test(ref))) return undefined;
  return `uses ?ref=${ref}, which looks like a branch`;
}
