/** README's deployment prerequisites and troubleshooting say what the code and the workflows do. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { USABLE_NUMBER } from "../../infra/config.js";
import { ROOT } from "./config-helpers.js";

const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("README before deploying", () => {
  it("states the Node.js version the workflows test with, and the engines range", () => {
    const workflows = fs.readdirSync(path.join(ROOT, ".github/workflows")).map((file) => fs.readFileSync(path.join(ROOT, ".github/workflows", file), "utf8"));
    const versions = new Set(workflows.flatMap((text) => [...text.matchAll(/node-version: (\S+)/g)].map((match) => match[1]!)));
    expect([...versions]).toHaveLength(1);
    const [version] = [...versions];
    expect(readme).toContain(`Node.js ${version} (the version every workflow tests with, \`node-version: ${version}\``);
    // And these tests run on it.
    expect(process.versions.node.split(".")[0]).toBe(version);
    const engines = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
    expect(engines).toBe(">=20.19");
    expect(readme).toContain("`engines` asks for 20.19 or later");
  });

  it("lists what each provider's cluster needs first", () => {
    const section = readme.slice(readme.indexOf("### What the cluster needs first"), readme.indexOf("## Try it on a simulated cluster"));
    expect(section).toContain("| | AWS (EKS) | Azure (AKS) | GCP (GKE) | kind (laptop) |");
    for (const row of ["GPU node autoscaling", "Exposure, for `notebooks.access` and `catalog.service.access`", "Object storage for database backups", "A default StorageClass"]) expect(section).toContain(`| ${row}`);
    for (const key of ["gpu.aws.nodeRole", "gpu.aws.discoveryTag", "workloadIdentity.awsRoleArn", "workloadIdentity.azureClientId", "workloadIdentity.gcpServiceAccount", "cluster.ingressClass"]) {
      expect(section).toContain(key);
    }
  });

  it("troubleshoots the messages the platform prints, in their words", () => {
    const section = readme.slice(readme.indexOf("## Troubleshooting"), readme.indexOf("## Layout"));
    expect(section).toContain(USABLE_NUMBER.slice(0, "expected a finite number".length));
    for (const text of ["preflight: the cluster lacks what", "Advisories (n, not fatal)", "is not empty and holds no previous render", "note: provider keys not set in the stack file", "npm run render -- --stack <env> --check"]) {
      expect(section).toContain(text);
    }
  });
});
