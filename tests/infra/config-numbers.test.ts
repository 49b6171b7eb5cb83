/**
 * Numbers a YAML stack file can hold but nothing downstream takes: .inf, .nan and numbers past 2^53 (a
 * quota of 1e21 GiB). Each is refused at its key, with the YAML spelling of the value, once.
 */
import { describe, expect, it } from "vitest";
import { FILE, problemsOf } from "./config-helpers.js";

const RULE = "expected a finite number from -9007199254740991 to 9007199254740991 (.inf, .nan and larger numbers reach neither Kubernetes nor the cloud intact)";

const valid = (): Record<string, any> => ({
  environment: "dev",
  cluster: { provider: "aws" },
  teams: [{ name: "vision", owners: ["vision-leads"], quota: { cpu: 16, memoryGiB: 64, storageGiB: 500 } }],
});

describe("numbers nothing downstream takes", () => {
  it.each([
    ["a memory quota of 1e21 GiB", (s: Record<string, any>) => (s["teams"][0].quota.memoryGiB = 1e21), "teams[0].quota.memoryGiB", "1e+21"],
    ["a storage quota of .inf", (s: Record<string, any>) => (s["teams"][0].quota.storageGiB = Infinity), "teams[0].quota.storageGiB", ".inf"],
    ["a CPU quota of .nan", (s: Record<string, any>) => (s["teams"][0].quota.cpu = NaN), "teams[0].quota.cpu", ".nan"],
    ["replicas of -.inf", (s: Record<string, any>) => (s["availability"] = { replicas: -Infinity }), "availability.replicas", "-.inf"],
    ["a GPU budget past 2^53", (s: Record<string, any>) => (s["gpu"] = { monthlyBudgetUsd: 2 ** 53 }), "gpu.monthlyBudgetUsd", "9007199254740992"],
    ["an idle timeout of .inf", (s: Record<string, any>) => (s["notebooks"] = { culling: { enabled: true, idleMinutes: Infinity } }), "notebooks.culling.idleMinutes", ".inf"],
    ["a priority of -1e300", (s: Record<string, any>) => (s["cluster"].priorityClasses = { servingValue: -1e300 }), "cluster.priorityClasses.servingValue", "-1e+300"],
    ["a bucket bound of .nan in a list", (s: Record<string, any>) => (s["monitoring"] = { models: [{ name: "m", team: "vision", podSelector: { app: "m" }, predictionBuckets: [0.5, NaN] }] }), "monitoring.models[0].predictionBuckets[1]", ".nan"],
  ])("refuses %s at its key, once, naming the value as YAML writes it", (_name, change, key, shown) => {
    const stack = valid();
    change(stack);
    expect(problemsOf(stack)).toEqual([`${FILE}: mlops-platform:${key}: ${RULE}, got ${shown}`]);
  });

  it("takes the largest exact numbers, and reports other problems beside an unusable one", () => {
    const stack = valid();
    stack["teams"][0].quota.cpu = Number.MAX_SAFE_INTEGER;
    stack["teams"][0].owners = "vision-leads";
    stack["teams"][0].quota.memoryGiB = Infinity;
    expect(problemsOf(stack)).toEqual([
      `${FILE}: mlops-platform:teams[0].quota.memoryGiB: ${RULE}, got .inf`,
      `${FILE}: mlops-platform:teams[0].owners: expected a list of group names, got "vision-leads"`,
    ]);
  });
});
