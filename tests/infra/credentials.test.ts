/** Credentials pasted into plain stack config: refused, by key, and never quoted back. */
import { describe, expect, it } from "vitest";
import { credentialReason } from "../../infra/credentials.js";
import { FILE, problemsOf } from "./config-helpers.js";

const base = () => ({ environment: "local", cluster: { provider: "kind" } });
const ollama = { name: "chat", provider: "ollama", model: "llama3.2:3b", apiBase: "http://ollama.ollama.svc:11434" };

describe("credentials in plain stack config", () => {
  it.each([
    ["an OpenAI key in a model's name", { gateway: { models: [{ ...ollama, model: "sk-proj-a1B2c3D4e5F6g7H8i9J0k1L2m3N4" }] } }, "gateway.models[0].model", "sk-proj-a1B2c3D4e5F6g7H8i9J0k1L2m3N4"],
    ["an Azure key (32 hex) in apiVersion", { gateway: { models: [{ ...ollama, apiVersion: "0123456789abcdef0123456789abcdef" }] } }, "gateway.models[0].apiVersion", "0123456789abcdef0123456789abcdef"],
    ["a password inside a URL", { gateway: { models: [{ ...ollama, apiBase: "https://admin:hunter2pass@llm.example.com/v1" }] } }, "gateway.models[0].apiBase", "hunter2pass"],
    ["a GitHub token in a team's group", { teams: [{ name: "a", owners: ["ghp_0123456789abcdefghijABCDEFGHIJ012345"], quota: { cpu: 1, memoryGiB: 1, storageGiB: 1 } }] }, "teams[0].owners[0]", "ghp_0123456789abcdefghijABCDEFGHIJ012345"],
    ["a Slack webhook URL in a context", { cluster: { provider: "kind", context: "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/cccccccccccccccccccccccc" } }, "cluster.context", "cccccccccccccccccccccccc"],
    ["a random token in a label", { gpu: { pools: [], monthlyBudgetUsd: 0 }, cluster: { provider: "kind", context: "Zx8Qp2Lm9Vt4Rk7Wn3Ys6Hd1Jf5Gb0" } }, "cluster.context", "Zx8Qp2Lm9Vt4Rk7Wn3Ys6Hd1Jf5Gb0"],
  ])("refuses %s, naming the key and never the value", (_name, extra, key, secret) => {
    const problems = problemsOf({ ...base(), ...extra });
    expect(problems.some((problem) => problem.startsWith(`${FILE}: mlops-platform:${key}: `) && problem.includes("so it is not shown here"))).toBe(true);
    for (const problem of problems) expect(problem).not.toContain(secret);
  });

  it("masks the credential in every other message about the same value too", () => {
    // An unknown provider is reported as well, and its message would quote the model value.
    const problems = problemsOf({ ...base(), gateway: { models: [{ ...ollama, provider: "nope", model: "sk-ant-api03-abcdefghijklmnopqrstuv" }] } });
    expect(problems.length).toBeGreaterThan(1);
    for (const problem of problems) expect(problem).not.toContain("abcdefghijklmnopqrstuv");
  });

  it.each([
    ["an image pinned by digest", "ghcr.io/berriai/litellm:v1.103.0@sha256:bd089afdcd35b894b14a93f9743cdc8b591f82da1a38dd43a010a7b0c9de5fd7"],
    ["a URL without credentials", "https://login.example.com/realms/ml"],
    ["an Azure AD group id", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"],
    ["a model name", "claude-sonnet-4-5"],
    ["an EKS AMI alias", "al2023@v20251108"],
    ["a short identifier", "KarpenterNodeRole-mlops-dev"],
    ["a kubeconfig context", "arn:aws:eks:us-east-1:123456789012:cluster/mlops-prod"],
  ])("lets %s through", (_name, value) => {
    expect(credentialReason(value)).toBeUndefined();
  });

  it("accepts the shipped stacks as they are", async () => {
    const { loadStack, STACKS } = await import("./config-helpers.js");
    for (const stack of STACKS) expect(() => loadStack(stack)).not.toThrow();
  });
});
