import { describe, expect, it } from "vitest";
import { OPERATOR_CRDS, ClusterOperator } from "@mlops-platform/components";
import { operatorsWithCrds, simulatedConfig } from "../../infra/simulate.js";

describe("npm run simulate", () => {
  it("declares preinstalled exactly the operators whose every CRD the cluster has", () => {
    const established = new Set([...OPERATOR_CRDS[ClusterOperator.Kueue], ...OPERATOR_CRDS[ClusterOperator.PrometheusOperator], "clusters.postgresql.cnpg.io"]);
    // cloudnative-pg has one of its two CRDs: not enough.
    expect(operatorsWithCrds(established)).toEqual([ClusterOperator.PrometheusOperator, ClusterOperator.Kueue]);
  });

  it("points the stack at the simulated cluster: its kubeconfig as a secret, no context, operators added to the stack's own", () => {
    const config = simulatedConfig(
      {
        "mlops-platform:environment": "local",
        "mlops-platform:cluster": JSON.stringify({ provider: "kind", context: "kind-mlops", preinstalledOperators: ["cert-manager"] }),
        "mlops-platform:openaiApiKey": "offline-placeholder:openaiApiKey",
      },
      ["mlops-platform:openaiApiKey"],
      "apiVersion: v1\nkind: Config\n",
      ["kueue", "cert-manager"],
    );
    expect(JSON.parse(config["mlops-platform:cluster"]!.value)).toEqual({ provider: "kind", preinstalledOperators: ["cert-manager", "kueue"] });
    expect(config["mlops-platform:kubeconfig"]).toEqual({ value: "apiVersion: v1\nkind: Config\n", secret: true });
    expect(config["mlops-platform:openaiApiKey"]?.secret).toBe(true);
    expect(config["mlops-platform:environment"]).toEqual({ value: "local", secret: false });
  });
});
