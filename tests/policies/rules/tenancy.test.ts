import { describe, expect, it } from "vitest";
import { messagesOf, namespace, object, teamGuardrails, violationsOf } from "../fixtures.js";

describe("team-namespace-guardrails", () => {
  it("fails when a team namespace has neither a ResourceQuota nor a NetworkPolicy, attributing both to the namespace", () => {
    const violations = violationsOf("team-namespace-guardrails", [namespace("team-vision")]);
    expect(violations.map((v) => v.resource)).toEqual(["kubernetes:core/v1:Namespace::team-vision", "kubernetes:core/v1:Namespace::team-vision"]);
    expect(violations.map((v) => v.message)).toEqual([
      'team namespace "team-vision" has no ResourceQuota: add a ResourceQuota with metadata.namespace "team-vision" capping requests.cpu, requests.memory and requests.nvidia.com/gpu',
      'team namespace "team-vision" has no default-deny NetworkPolicy: add a NetworkPolicy in "team-vision" with podSelector {} and policyTypes [Ingress, Egress] and no allow-all rules; allow traffic with narrower policies',
    ]);
  });

  it("checks namespaces labelled as a team's whatever their name", () => {
    const messages = messagesOf("team-namespace-guardrails", [namespace("research", { "mlops-platform.io/team": "research" })]);
    expect(messages).toHaveLength(2);
  });

  it("fails when the only NetworkPolicy lets all ingress through", () => {
    const [quota] = teamGuardrails("team-vision");
    const allowAll = object("networking.k8s.io/v1", "NetworkPolicy", "open", "team-vision", {
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}] },
    });
    expect(messagesOf("team-namespace-guardrails", [namespace("team-vision"), quota!, allowAll])[0]).toContain("has no default-deny NetworkPolicy");
  });

  it("fails when the deny-all NetworkPolicy covers only ingress", () => {
    const [quota] = teamGuardrails("team-vision");
    const ingressOnly = object("networking.k8s.io/v1", "NetworkPolicy", "deny-ingress", "team-vision", {
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    });
    expect(messagesOf("team-namespace-guardrails", [namespace("team-vision"), quota!, ingressOnly])[0]).toContain("has no default-deny NetworkPolicy");
  });

  it("fails when the deny-all NetworkPolicy selects only some pods", () => {
    const [quota] = teamGuardrails("team-vision");
    const somePods = object("networking.k8s.io/v1", "NetworkPolicy", "deny-web", "team-vision", {
      spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress", "Egress"] },
    });
    expect(messagesOf("team-namespace-guardrails", [namespace("team-vision"), quota!, somePods])).toHaveLength(1);
  });

  it("does not count guardrails that live in another namespace", () => {
    const messages = messagesOf("team-namespace-guardrails", [namespace("team-vision"), ...teamGuardrails("team-nlp")]);
    expect(messages).toHaveLength(2);
  });

  it("passes a team namespace with a quota and a default-deny policy that allows only DNS", () => {
    const [quota] = teamGuardrails("team-vision");
    const denyButDns = object("networking.k8s.io/v1", "NetworkPolicy", "default-deny", "team-vision", {
      spec: {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }], ports: [{ protocol: "UDP", port: 53 }] }],
      },
    });
    expect(messagesOf("team-namespace-guardrails", [namespace("team-vision"), quota!, denyButDns])).toEqual([]);
  });

  it("passes namespaces that do not belong to a team", () => {
    expect(messagesOf("team-namespace-guardrails", [namespace("cert-manager")])).toEqual([]);
  });
});
