/**
 * The tenancy rule (every team namespace has its quota and default-deny network policy) and what tells a
 * team namespace apart, which the GPU and gateway rules reuse.
 */
import type { PolicyResource } from "@pulumi/policy";
import { stackRule, type Report } from "../enforcement.js";
import { asList, asObject, asString, dig, isKind, objectNameOf, type JsonObject } from "../kubernetes.js";
import { ADVISORY_UNTIL_STAGING, GPU_RESOURCE, objectsIn } from "./common.js";

/** The label that marks a namespace as a team's, whatever its name (components/src/tenancy/team-spec.ts writes it). */
export const TEAM_LABEL = "mlops-platform.io/team";

/** True when a label selector is empty (`{}` or absent), i.e. selects every pod. */
function selectsEverything(selector: unknown): boolean {
  if (selector === undefined) return true;
  const object = asObject(selector);
  if (object === undefined) return false;
  return Object.keys(asObject(object["matchLabels"]) ?? {}).length === 0 && asList(object["matchExpressions"]).length === 0;
}

const WORLD_CIDRS: ReadonlySet<string> = new Set(["0.0.0.0/0", "::/0"]);

function isWildcardPeer(item: unknown): boolean {
  const peer = asObject(item) ?? {};
  const ipBlock = asObject(peer["ipBlock"]);
  if (ipBlock !== undefined) return WORLD_CIDRS.has(asString(ipBlock["cidr"]) ?? "") && asList(ipBlock["except"]).length === 0;
  return peer["namespaceSelector"] !== undefined && selectsEverything(peer["namespaceSelector"]) && selectsEverything(peer["podSelector"]);
}

/** True when an ingress/egress rule lets all traffic through: no port limit and no (or an all-matching) peer. */
function allowsEverything(rule: unknown, peersField: "from" | "to"): boolean {
  const object = asObject(rule) ?? {};
  const peers = asList(object[peersField]);
  return asList(object["ports"]).length === 0 && (peers.length === 0 || peers.some(isWildcardPeer));
}

/**
 * True when a NetworkPolicy denies by default: it selects every pod (`podSelector: {}`), covers both
 * Ingress and Egress, and none of its rules lets everything through (narrow rules such as DNS egress are
 * fine).
 */
export function isDefaultDenyNetworkPolicy(props: JsonObject): boolean {
  const spec = asObject(props["spec"]) ?? {};
  const types = asList(spec["policyTypes"]);
  return (
    selectsEverything(spec["podSelector"]) &&
    types.includes("Ingress") &&
    types.includes("Egress") &&
    !asList(spec["ingress"]).some((rule) => allowsEverything(rule, "from")) &&
    !asList(spec["egress"]).some((rule) => allowsEverything(rule, "to"))
  );
}

/** True when a Namespace belongs to a team: named `team-*` or labelled `mlops-platform.io/team`. */
export function isTeamNamespace(props: JsonObject, name: string): boolean {
  return name.startsWith("team-") || dig(props, "metadata", "labels", TEAM_LABEL) !== undefined;
}

function checkTeamNamespace(namespace: PolicyResource, resources: readonly PolicyResource[], report: Report): void {
  const name = objectNameOf(namespace.props, namespace.name);
  if (!isTeamNamespace(namespace.props, name)) return;
  if (objectsIn(resources, name, "core", "ResourceQuota").length === 0) {
    report(
      `team namespace "${name}" has no ResourceQuota: ` +
        `add a ResourceQuota with metadata.namespace "${name}" capping requests.cpu, requests.memory and requests.${GPU_RESOURCE}`,
      namespace.urn,
    );
  }
  const policies = objectsIn(resources, name, "networking.k8s.io", "NetworkPolicy");
  if (!policies.some((policy) => isDefaultDenyNetworkPolicy(policy.props))) {
    report(
      `team namespace "${name}" has no default-deny NetworkPolicy: ` +
        `add a NetworkPolicy in "${name}" with podSelector {} and policyTypes [Ingress, Egress] and no allow-all rules; ` +
        `allow traffic with narrower policies`,
      namespace.urn,
    );
  }
}

/** Every team namespace has a ResourceQuota and a default-deny NetworkPolicy in this stack. */
export const teamNamespaceGuardrails = stackRule({
  id: "team-namespace-guardrails",
  description: `Every team namespace (team-* or labelled ${TEAM_LABEL}) has a ResourceQuota and a default-deny NetworkPolicy.`,
  remediationSteps:
    "Create a ResourceQuota and a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] " +
    "in each team namespace, in the same stack.",
  enforcement: ADVISORY_UNTIL_STAGING,
  settings: [],
  check({ resources }, _settings, report) {
    for (const namespace of resources.filter((resource) => isKind(resource.type, "core", "Namespace"))) {
      checkTeamNamespace(namespace, resources, report);
    }
  },
});
