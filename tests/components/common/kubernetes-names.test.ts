/** What Kubernetes and the clouds accept as a CIDR, a label and a namespace of the platform, as tables. */
import { describe, expect, it } from "vitest";
import { isCidr, isLabelKey, isLabelValue, isReservedLabelKey, isSystemNamespace } from "../../../components/src/common/kubernetes.js";

describe("isCidr: what a NetworkPolicy's ipBlock takes", () => {
  it.each(["10.20.0.0/16", "0.0.0.0/0", "255.255.255.255/32", "192.168.1.0/24", "fd00::/64", "::/0", "2001:db8::/128"])("accepts %s", (cidr) => {
    expect(isCidr(cidr)).toBe(true);
  });
  it.each([
    ["no prefix", "10.0.0.0"],
    ["a prefix over 32", "10.0.0.0/33"],
    ["an octet over 255", "10.0.300.0/16"],
    ["three octets", "10.0.0/8"],
    ["a negative prefix", "10.0.0.0/-1"],
    ["an IPv6 prefix over 128", "fd00::/129"],
    ["a host name", "mirror.example.com/32"],
    ["an empty prefix", "10.0.0.0/"],
    ["a leading zero", "010.0.0.0/8"],
  ])("refuses %s (%s)", (_why, cidr) => {
    expect(isCidr(cidr)).toBe(false);
  });
});

describe("label keys and values", () => {
  it.each(["app", "example.com/tier", "a.b-c_d", "x".repeat(63), `example.com/${"k".repeat(63)}`])("accepts the key %s", (key) => expect(isLabelKey(key)).toBe(true));
  it.each(["", "cost center", "-app", "app-", "x".repeat(64), "Example_Corp/tier", "/app", "example.com/"])("refuses the key %j", (key) => expect(isLabelKey(key)).toBe(false));
  it.each(["", "gold", "v1.2_3", "x".repeat(63)])("accepts the value %j", (value) => expect(isLabelValue(value)).toBe(true));
  it.each(["vision team", "x".repeat(64), "-gold", "gold.", "a/b"])("refuses the value %j", (value) => expect(isLabelValue(value)).toBe(false));
  it.each([
    ["kubernetes.io/arch", true],
    ["node.kubernetes.io/instance-type", true],
    ["k8s.io/x", true],
    ["karpenter.sh/capacity-type", true],
    ["example.com/tier", false],
    ["notkubernetes.io/x", false],
    ["tier", false],
  ] as const)("%s is reserved: %s", (key, reserved) => expect(isReservedLabelKey(key)).toBe(reserved));
});

describe("namespaces Kubernetes keeps for itself", () => {
  it.each([
    ["kube-system", true],
    ["kube-public", true],
    ["kube-node-lease", true],
    ["default", true],
    ["cert-manager", false],
    ["kubeflow", false],
    ["team-kube-system", false],
  ] as const)("%s: %s", (name, system) => expect(isSystemNamespace(name)).toBe(system));
});
