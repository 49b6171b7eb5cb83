/**
 * One measured render in a fresh process (Pulumi's runtime is process-global). Modes:
 *   platform  run the real program (infra/program.ts) for a stack under mocks
 *   direct    register the same custom resources with no components around them, read from --resources
 * Module loading is done before the clock starts in both modes, and the clock stops when every
 * registration is captured (manifests and validation are the same work in both modes, so they are left
 * out of the ratio). Prints one JSON line: { ms, resources, maxRssMiB }.
 */
import * as fs from "node:fs";
import "@pulumi/kubernetes";
import "@mlops-platform/components";
import * as pulumi from "@pulumi/pulumi";
import { buildArtifacts, captureProgram } from "@mlops-platform/components/testing";
import { findProject, loadOfflineStack } from "../infra/stack-files.js";

export interface DirectResource {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
}

/** A resource of any type token, registered as-is. */
class FlatResource extends pulumi.CustomResource {}

async function main(): Promise<void> {
  const [mode, stack, resourcesFile] = process.argv.slice(2);
  if ((mode !== "platform" && mode !== "direct") || !stack) throw new Error("usage: render-child <platform|direct> <stack> [resources.json]");
  const project = findProject(process.cwd());
  const offline = loadOfflineStack(project, stack);

  const program =
    mode === "platform"
      ? () => import("../infra/program.js").then((program) => program.platformProgram({ preflight: false }))
      : () => {
          const resources = JSON.parse(fs.readFileSync(resourcesFile!, "utf8")) as DirectResource[];
          for (const r of resources) {
            if (r.custom) new FlatResource(r.type, r.name, r.inputs);
            else new pulumi.ComponentResource(r.type, r.name, r.inputs, {}, true);
          }
        };

  const start = performance.now();
  const capture = await captureProgram(program, { project: project.name, stack, config: offline.config, secretKeys: offline.secretKeys });
  const ms = performance.now() - start;
  await buildArtifacts(capture);
  if (capture.errors.length > 0) throw capture.errors[0];

  if (mode === "platform" && resourcesFile) {
    // What "direct" registers: every Kubernetes object and chart, flat, without providers or components.
    const flat: DirectResource[] = capture.resources
      .filter((r) => r.type.startsWith("kubernetes:"))
      .map((r) => ({ type: r.type, name: r.name, custom: r.custom, inputs: r.plainInputs }));
    fs.writeFileSync(resourcesFile, JSON.stringify(flat));
  }
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ms, resources: capture.resources.length, maxRssMiB }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
