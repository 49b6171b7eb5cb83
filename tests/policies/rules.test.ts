import { describe, expect, it } from "vitest";
import {
  DEFAULT_ENFORCEMENT,
  ENVIRONMENTS,
  POLICY_IDS,
  evaluatePolicies,
  mlopsPolicies,
  policyPackConfigFor,
  runPolicyPack,
  type OfflineResource,
} from "@mlops-platform/policies/rules";
import { GPU_TOLERATION, container, deployment, namespace, object, podSpec, resource, teamGuardrails, violationsOf } from "./fixtures.js";

describe("enforcement per environment", () => {
  const noMemoryLimit = deployment("web", podSpec({ containers: [container({ resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1" } } })] }));

  it("reports container-resources as advisory in dev and mandatory in prod", () => {
    expect(violationsOf("container-resources", [noMemoryLimit], "dev").map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    expect(violationsOf("container-resources", [noMemoryLimit], "prod").map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
  });

  it("blocks security exposures from dev on, and warns only on a local cluster", () => {
    const lb = object("core/v1", "Service", "api", "serving", { spec: { type: "LoadBalancer" } });
    expect(violationsOf("no-external-services", [lb], "local")[0]?.enforcementLevel).toBe("advisory");
    expect(violationsOf("no-external-services", [lb], "dev")[0]?.enforcementLevel).toBe("mandatory");
  });

  it("is mandatory for every rule in prod, and in staging for all but gateway fallbacks (the issue asks them of prod)", () => {
    for (const id of POLICY_IDS) {
      expect(DEFAULT_ENFORCEMENT[id].prod, id).toBe("mandatory");
      expect(DEFAULT_ENFORCEMENT[id].staging, id).toBe(id === "gateway-fallbacks" ? "advisory" : "mandatory");
    }
  });

  it("writes a pack config with each rule's level, the environment and the settings the rule declares", () => {
    const config = policyPackConfigFor("dev", { allowedExternalServices: ["istio-system/gateway"], systemNamespaces: ["kube-system"] });
    expect(Object.keys(config)).toEqual([...POLICY_IDS]);
    expect(config["container-resources"]).toEqual({ enforcementLevel: "advisory", environment: "dev" });
    expect(config["no-external-services"]).toEqual({ enforcementLevel: "mandatory", environment: "dev", allowedExternalServices: ["istio-system/gateway"] });
    expect(config["gpu-taint-tolerations"]).toEqual({ enforcementLevel: "advisory", environment: "dev", systemNamespaces: ["kube-system"] });
  });

  it("declares environment in every rule's config schema, with exactly the platform's environments", () => {
    for (const policy of mlopsPolicies) {
      expect(policy.configSchema?.properties["environment"]?.enum).toEqual([...ENVIRONMENTS]);
    }
  });

  it("uses each rule's own (prod) level when the config names no environment", () => {
    const violations = runPolicyPack([noMemoryLimit], mlopsPolicies, { packEnforcementLevel: "advisory" });
    expect(violations.map((v) => [v.policy, v.enforcementLevel])).toEqual([["container-resources", "mandatory"]]);
  });

  it("gives a hand-written config that names only the environment that environment's levels", () => {
    const config = { "container-resources": { environment: "dev" } };
    const violations = runPolicyPack([noMemoryLimit], mlopsPolicies, { packEnforcementLevel: "mandatory", config });
    expect(violations.map((v) => [v.policy, v.enforcementLevel])).toEqual([["container-resources", "advisory"]]);
  });

  it("turns a rule off when the pack config disables it", () => {
    const config = { ...policyPackConfigFor("prod"), "container-resources": "disabled" as const };
    expect(runPolicyPack([noMemoryLimit], mlopsPolicies, { packEnforcementLevel: "mandatory", config })).toEqual([]);
  });

  it("rejects an environment the platform does not have", () => {
    const config = { "container-resources": { environment: "qa" } };
    expect(() => runPolicyPack([noMemoryLimit], mlopsPolicies, { packEnforcementLevel: "mandatory", config })).toThrow(
      'policy "container-resources" failed on kubernetes:apps/v1:Deployment::web: policy config "environment" must be one of local, dev, staging, prod, got "qa"',
    );
  });
});

describe("evaluatePolicies", () => {
  const stack: OfflineResource[] = [
    namespace("team-vision"),
    deployment("web", podSpec({ hostNetwork: true, tolerations: [GPU_TOLERATION], containers: [container({ image: "nginx", resources: {} })] })),
    object("core/v1", "Service", "api", "team-vision", { spec: { type: "NodePort" } }),
    object("core/v1", "ConfigMap", "settings", "team-vision", { data: { ADMIN_PASSWORD: "changeme" } }),
    resource("kubernetes:helm.sh/v4:Chart", "kuberay", { chart: "kuberay-operator", version: "^1.1" }),
  ];

  it("returns the same violations in the same order whatever the order of the resources", () => {
    const forward = evaluatePolicies(stack, { environment: "staging" });
    const backward = evaluatePolicies([...stack].reverse(), { environment: "staging" });
    expect(backward).toEqual(forward);
    expect(JSON.stringify(evaluatePolicies(stack, { environment: "staging" }))).toBe(JSON.stringify(forward));
  });

  it("orders violations by policy, then resource, then message, and finds one per problem", () => {
    const violations = evaluatePolicies(stack, { environment: "staging" });
    const keys = violations.map((v) => `${v.policy}|${v.resource}|${v.message}`);
    expect(keys).toEqual([...keys].sort());
    expect(violations.map((v) => v.policy)).toEqual([
      "container-resources",
      "gpu-taint-tolerations",
      "no-external-services",
      "no-host-access",
      "no-plaintext-secrets",
      "pinned-versions",
      "pinned-versions",
      "team-namespace-guardrails",
      "team-namespace-guardrails",
    ]);
  });

  it("reports nothing for a compliant team stack", () => {
    const compliant = [namespace("team-vision"), ...teamGuardrails("team-vision"), deployment("web", podSpec())];
    expect(evaluatePolicies(compliant, { environment: "prod" })).toEqual([]);
  });
});
