/**
 * Kubernetes NetworkPolicy semantics, evaluated over rendered manifests: would a connection from one
 * endpoint to another be allowed? Both ends must agree: the source's egress policies and the
 * destination's ingress policies (a pod no policy selects is open in that direction).
 *
 * Modelled: podSelector, namespaceSelector (matchLabels and matchExpressions), ipBlock with `except`
 * (IPv4), ports with protocol and endPort, and the policyTypes default. Not modelled: named ports (they
 * match only the same name), and CNI-specific behaviour such as ipBlock rules matching pod IPs.
 */

/** A pod, or an address outside the cluster. */
export type Endpoint = { namespace: string; labels?: Record<string, string> } | { ip: string };

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  port: number | string;
  /** @default "TCP" */
  protocol?: string;
}

/** A Kubernetes label selector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}
/** A `from` or `to` peer of a NetworkPolicy rule. */
export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
/** A port of a NetworkPolicy rule. */
export interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
/** An ingress or egress rule of a NetworkPolicy. */
export interface NetworkPolicyRule {
  from?: NetworkPolicyPeer[];
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}
/** A NetworkPolicy object as rendered (`metadata.namespace` and `spec` are what matter). */
export interface NetworkPolicyObject {
  metadata: { name?: string; namespace?: string };
  spec: { podSelector?: LabelSelector; policyTypes?: string[]; ingress?: NetworkPolicyRule[]; egress?: NetworkPolicyRule[] };
}

export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = key in labels;
    const ok =
      operator === "In" ? has && values.includes(labels[key]!) :
      operator === "NotIn" ? !has || !values.includes(labels[key]!) :
      operator === "Exists" ? has :
      operator === "DoesNotExist" ? !has :
      false;
    if (!ok) return false;
  }
  return true;
}

function ipv4(address: string): number | undefined {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const address = ipv4(ip);
  const network = ipv4(base ?? "");
  const prefix = Number(bits);
  if (address === undefined || network === undefined || !(prefix >= 0 && prefix <= 32)) return false;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (address & mask) === (network & mask);
}

/** Whether `peer`, written in a policy of `policyNamespace`, matches `endpoint`. */
function peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, endpoint: Endpoint, namespaceLabels: (ns: string) => Record<string, string>): boolean {
  if (peer.ipBlock) {
    return "ip" in endpoint && inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(endpoint.ip, c));
  }
  if ("ip" in endpoint) return false;
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, namespaceLabels(endpoint.namespace))
    : endpoint.namespace === policyNamespace;
  return namespaceOk && selectorMatches(peer.podSelector, endpoint.labels ?? {});
}

function portMatches(rules: NetworkPolicyPort[] | undefined, port: number | string, protocol: string): boolean {
  if (!rules || rules.length === 0) return true;
  return rules.some((rule) => {
    if ((rule.protocol ?? "TCP") !== protocol) return false;
    if (rule.port === undefined) return true;
    if (typeof rule.port === "string" || typeof port === "string") return rule.port === port;
    return rule.endPort === undefined ? rule.port === port : port >= rule.port && port <= rule.endPort;
  });
}

function policyTypes(policy: NetworkPolicyObject): string[] {
  return policy.spec.policyTypes ?? (policy.spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
}

/** Is the side of `pod` in `direction` allowed to talk to `peer`? */
function sideAllows(
  policies: readonly NetworkPolicyObject[],
  pod: Endpoint,
  peer: Endpoint,
  direction: "Ingress" | "Egress",
  port: number | string,
  protocol: string,
  namespaceLabels: (ns: string) => Record<string, string>,
): boolean {
  if ("ip" in pod) return true; // outside the cluster: no NetworkPolicy applies
  const selecting = policies.filter(
    (p) => p.metadata.namespace === pod.namespace && policyTypes(p).includes(direction) && selectorMatches(p.spec.podSelector ?? {}, pod.labels ?? {}),
  );
  if (selecting.length === 0) return true;
  return selecting.some((policy) => {
    const rules = (direction === "Ingress" ? policy.spec.ingress : policy.spec.egress) ?? [];
    return rules.some((rule) => {
      const peers = direction === "Ingress" ? rule.from : rule.to;
      const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, pod.namespace, peer, namespaceLabels));
      return peerOk && portMatches(rule.ports, port, protocol);
    });
  });
}

/**
 * Whether `connection` would be allowed by `policies`. `namespaces` gives each namespace's labels (as
 * rendered, plus `kubernetes.io/metadata.name`, which Kubernetes sets on every namespace).
 */
export function isConnectionAllowed(
  policies: readonly NetworkPolicyObject[],
  namespaces: Readonly<Record<string, Record<string, string>>>,
  connection: Connection,
): boolean {
  const labelsOf = (ns: string) => ({ ...(namespaces[ns] ?? {}), "kubernetes.io/metadata.name": ns });
  const protocol = connection.protocol ?? "TCP";
  return (
    sideAllows(policies, connection.from, connection.to, "Egress", connection.port, protocol, labelsOf) &&
    sideAllows(policies, connection.to, connection.from, "Ingress", connection.port, protocol, labelsOf)
  );
}
