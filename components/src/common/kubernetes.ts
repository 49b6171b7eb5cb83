import { isIPv4, isIPv6 } from "node:net";
import type * as k8s from "@pulumi/kubernetes";
import type { INetworkPolicyEgressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule";

/**
 * Kubernetes conventions shared by every capability: labels, Pod Security levels, name rules.
 */

/** Where a cluster runs. */
export enum ClusterProvider {
  /** Amazon EKS. */
  Aws = "aws",
  /** Azure AKS. */
  Azure = "azure",
  /** Google GKE. */
  Gcp = "gcp",
  /** A local, CPU-only kind cluster. */
  Kind = "kind",
}
export const CLUSTER_PROVIDERS: readonly ClusterProvider[] = Object.values(ClusterProvider);

/** Pod Security Standards level, see https://kubernetes.io/docs/concepts/security/pod-security-standards/ */
export enum PodSecurityLevel {
  /** Unrestricted: for system agents that need host access (the GPU Operator's). */
  Privileged = "privileged",
  /** Prevents known privilege escalations. */
  Baseline = "baseline",
  /** Current pod hardening best practices. */
  Restricted = "restricted",
}

export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = Object.values(PodSecurityLevel);

/** How a toleration matches a taint. */
export enum TolerationOperator {
  /** Any value of the taint's key. */
  Exists = "Exists",
  /** The taint's key with the toleration's value. */
  Equal = "Equal",
}
export const TOLERATION_OPERATORS: readonly TolerationOperator[] = Object.values(TolerationOperator);

/** What a taint does to pods that do not tolerate it. */
export enum TaintEffect {
  /** New pods are not scheduled on the node. */
  NoSchedule = "NoSchedule",
  /** The scheduler avoids the node. */
  PreferNoSchedule = "PreferNoSchedule",
  /** Running pods are evicted too. */
  NoExecute = "NoExecute",
}
export const TAINT_EFFECTS: readonly TaintEffect[] = Object.values(TaintEffect);

/** The label every object the platform creates carries, so `kubectl get -l` finds them. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "mlops-platform";
export const PART_OF_LABEL = "app.kubernetes.io/part-of";
export const COMPONENT_LABEL = "app.kubernetes.io/component";

/** Labels that mark an object as belonging to one capability of the platform. */
export function platformLabels(capability: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [COMPONENT_LABEL]: capability,
    ...extra,
  };
}

/**
 * Pod Security admission labels for a namespace. `enforce` rejects violating pods; `audit` and `warn` are
 * always `restricted` so that anything weaker than restricted is at least visible in audit logs and
 * kubectl warnings. The version is pinned to `latest` on purpose: the policy follows the cluster's
 * Kubernetes version, which is what the upstream docs recommend for platform-owned namespaces.
 */
export function podSecurityLabels(enforce: PodSecurityLevel): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": enforce,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/audit-version": "latest",
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/warn-version": "latest",
  };
}

const HOST_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/;

/** True when `value` is a fully qualified DNS host name such as `notebooks.dev.example.com`. */
export function isHostName(value: string): boolean {
  return value.length <= 253 && HOST_NAME.test(value);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True when `value` is an RFC 1123 DNS label (namespace names, most object names): at most 63 characters. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True when `value` is an RFC 1123 DNS subdomain (the names of most objects: Secrets, StorageClasses, PriorityClasses): at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

/** What `isCidr` takes, for messages. */
export const CIDR_RULE = 'CIDR notation such as "10.20.0.0/16": an IPv4 address of four numbers from 0 to 255 and a prefix length from 0 to 32 (or an IPv6 address and a prefix length from 0 to 128)';

/**
 * True when `value` is an IPv4 CIDR block (four numbers 0-255, a prefix length 0-32: `10.20.0.0/16`) or
 * an IPv6 one (a prefix length 0-128: `fd00::/64`): what a NetworkPolicy's ipBlock and the cloud accept.
 */
export function isCidr(value: string): boolean {
  const slash = value.indexOf("/");
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (slash < 0 || !/^\d{1,3}$/.test(prefix)) return false;
  if (isIPv4(address)) return Number(prefix) <= 32;
  return isIPv6(address) && Number(prefix) <= 128;
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** What `isLabelKey` takes, for messages. */
export const LABEL_KEY_RULE =
  "a label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
/** What `isLabelValue` takes, for messages. */
export const LABEL_VALUE_RULE = "a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty)";

/** True when `key` is a Kubernetes label key (`app`, `example.com/tier`). */
export function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const name = key.slice(slash + 1);
  if (slash >= 0 && !isDnsSubdomain(key.slice(0, slash))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** True when `value` is a Kubernetes label value. */
export function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && LABEL_NAME.test(value));
}

/**
 * True when a label key's prefix is a domain Kubernetes or Karpenter keeps for itself (`kubernetes.io`,
 * `k8s.io`, `karpenter.sh` and their subdomains): Karpenter refuses such labels on a NodePool's nodes.
 */
export function isReservedLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  if (slash < 0) return false;
  const domain = key.slice(0, slash);
  return ["kubernetes.io", "k8s.io", "karpenter.sh"].some((reserved) => domain === reserved || domain.endsWith(`.${reserved}`));
}

/**
 * True for namespaces Kubernetes keeps for itself (`default`, `kube-system`, `kube-public`,
 * `kube-node-lease`, any `kube-` name): the platform's components never go there, where a system
 * component's RBAC and quotas would apply to them and deleting the stack could touch the cluster's own.
 */
export function isSystemNamespace(name: string): boolean {
  return name === "default" || name.startsWith("kube-");
}

/**
 * Container security context that meets the `restricted` Pod Security profile, with a read-only root
 * filesystem: what every platform-run container uses (mount an emptyDir where it must write).
 */
export const RESTRICTED_CONTAINER_SECURITY: Readonly<k8s.types.input.core.v1.SecurityContext> = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * A short, stable fingerprint of a text (djb2). Not for security: put it in a pod template annotation so
 * pods roll when a mounted configuration changes.
 */
export function contentDigest(text: string): string {
  let hash = 5381;
  for (let i = 0; i < text.length; i++) hash = ((hash << 5) + hash + text.charCodeAt(i)) >>> 0;
  return hash.toString(16);
}

const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * True when an image reference is pinned: a tag other than `latest`, a `sha256` digest, or both
 * (`registry:5000/team/image:1.2.3@sha256:...`). A registry port is not a tag.
 */
export function isPinnedImage(reference: string): boolean {
  if (/\s/.test(reference)) return false;
  const [nameAndTag, digest, ...rest] = reference.split("@");
  if (rest.length > 0 || !nameAndTag) return false;
  if (digest !== undefined && !IMAGE_DIGEST.test(digest)) return false;
  const colon = nameAndTag.indexOf(":", nameAndTag.lastIndexOf("/") + 1);
  const name = colon === -1 ? nameAndTag : nameAndTag.slice(0, colon);
  const tag = colon === -1 ? undefined : nameAndTag.slice(colon + 1);
  if (name === "" || name.endsWith("/")) return false;
  if (tag !== undefined && (!IMAGE_TAG.test(tag) || tag === "latest")) return false;
  return tag !== undefined || digest !== undefined;
}

/**
 * NetworkPolicy egress to the cluster's DNS (kube-dns or CoreDNS, both labelled `k8s-app: kube-dns`), over
 * UDP and TCP: every pod under a default-deny egress policy needs it to resolve a Service name.
 */
export const DNS_EGRESS_RULE: INetworkPolicyEgressRule = {
  to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
  ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
};
