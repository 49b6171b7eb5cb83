import { describe, expect, it } from "vitest";
import { isConnectionAllowed, selectorMatches, type NetworkPolicyObject } from "@mlops-platform/components/testing";

const policy = (namespace: string, spec: NetworkPolicyObject["spec"]): NetworkPolicyObject => ({ metadata: { namespace }, spec });

describe("NetworkPolicy semantics", () => {
  const a = { namespace: "a", labels: { app: "web" } };
  const b = { namespace: "b", labels: { app: "db" } };

  it("allows everything when no policy selects either pod", () => {
    expect(isConnectionAllowed([], {}, { from: a, to: b, port: 5432 })).toBe(true);
  });

  it("denies when the destination's ingress is default-deny, even if the source may send", () => {
    const policies = [policy("b", { podSelector: {}, policyTypes: ["Ingress"] })];
    expect(isConnectionAllowed(policies, {}, { from: a, to: b, port: 5432 })).toBe(false);
  });

  it("needs both ends: ingress allowed at b is not enough when a denies egress", () => {
    const policies = [
      policy("a", { podSelector: {}, policyTypes: ["Egress"] }),
      policy("b", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
    ];
    expect(isConnectionAllowed(policies, {}, { from: a, to: b, port: 5432 })).toBe(false);
  });

  it("matches namespaceSelector and podSelector together, ports with endPort and protocols", () => {
    const policies = [
      policy("b", {
        podSelector: { matchLabels: { app: "db" } },
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { tier: "front" } }, podSelector: { matchLabels: { app: "web" } } }],
            ports: [{ port: 5000, endPort: 5500 }],
          },
        ],
      }),
    ];
    const ns = { a: { tier: "front" } };
    expect(isConnectionAllowed(policies, ns, { from: a, to: b, port: 5432 })).toBe(true);
    expect(isConnectionAllowed(policies, ns, { from: a, to: b, port: 5432, protocol: "UDP" })).toBe(false);
    expect(isConnectionAllowed(policies, ns, { from: a, to: b, port: 6000 })).toBe(false);
    expect(isConnectionAllowed(policies, ns, { from: { namespace: "a", labels: { app: "batch" } }, to: b, port: 5432 })).toBe(false);
    expect(isConnectionAllowed(policies, {}, { from: a, to: b, port: 5432 })).toBe(false);
  });

  it("treats a podSelector without namespaceSelector as the policy's own namespace", () => {
    const policies = [policy("b", { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })];
    expect(isConnectionAllowed(policies, {}, { from: { namespace: "b" }, to: b, port: 1 })).toBe(true);
    expect(isConnectionAllowed(policies, {}, { from: a, to: b, port: 1 })).toBe(false);
  });

  it("applies ipBlock with except to addresses outside the cluster", () => {
    const policies = [
      policy("a", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }] }] }),
    ];
    expect(isConnectionAllowed(policies, {}, { from: a, to: { ip: "10.2.3.4" }, port: 443 })).toBe(true);
    expect(isConnectionAllowed(policies, {}, { from: a, to: { ip: "10.1.3.4" }, port: 443 })).toBe(false);
    expect(isConnectionAllowed(policies, {}, { from: a, to: { ip: "11.0.0.1" }, port: 443 })).toBe(false);
  });

  it.each([
    [{ matchExpressions: [{ key: "tier", operator: "In", values: ["a", "b"] }] }, { tier: "b" }, true],
    [{ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["a"] }] }, {}, true],
    [{ matchExpressions: [{ key: "tier", operator: "Exists" }] }, {}, false],
    [{ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, {}, true],
    [{ matchLabels: { tier: "a" }, matchExpressions: [{ key: "x", operator: "Exists" }] }, { tier: "a" }, false],
  ])("selector %j against %j is %s", (selector, labels, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });
});
