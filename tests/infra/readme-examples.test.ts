/** The stack-config errors the README shows are the ones the program prints, word for word. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parsePlatformConfig } from "../../infra/config.js";
import { ROOT } from "./config-helpers.js";

const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

function messageOf(raw: Record<string, unknown>, file: string): string {
  try {
    parsePlatformConfig(raw, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error("expected the config to be rejected");
}

describe("README's stack-config examples", () => {
  it("shows every problem of a bad prod stack as the program reports it", () => {
    const quota = { cpu: 1, memoryGiB: 1, storageGiB: 1 };
    const message = messageOf(
      {
        environment: "prod",
        cluster: { provider: "aws", certManager: { version: "1.x", replicas: 0 } },
        teams: [
          { name: "vision", owners: ["a"], quota: { ...quota, gpus: 1.5 } },
          { name: "vision", owners: ["b"], quota },
        ],
      },
      "stacks/Pulumi.prod.yaml",
    );
    expect(README).toContain(`\`\`\`text\n${message}\n\`\`\``);
  });

  it("shows a platform-wide rule reported at the stack key that set the value", () => {
    const message = messageOf(
      {
        environment: "dev",
        cluster: { provider: "aws", preinstalledOperators: ["nvidia-gpu-operator"] },
        gpu: { aws: { nodeRole: "r", discoveryTag: "t", amiAlias: "al2023@v20250915" }, pools: [{ name: "l4", gpu: "nvidia-l4", maxGpus: 4, sharing: { timeSlicingReplicas: 4 } }] },
      },
      "stacks/Pulumi.dev.yaml",
    );
    expect(README).toContain(`\`\`\`text\n${message.split("\n").slice(1).join("\n")}\n\`\`\``);
  });
});
