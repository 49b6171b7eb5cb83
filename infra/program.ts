/**
 * The Pulumi program as a function: read and validate the stack's config, check the cluster has what the
 * stack relies on, build the Kubernetes provider, compose one MlPlatform, return the stack outputs.
 * `infra/index.ts` hands it to `pulumi up`; the end-to-end tests run it inline through the Automation API;
 * the offline render runs it under mocks without the preflight.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MlPlatform } from "@mlops-platform/components";
import { formatAdvisory, stackAdvisories } from "./advisories.js";
import { clusterRequirementsOf, CONFIG_NAMESPACE, loadPlatformConfig, SECRET_CONFIG_KEYS, stackFileFor } from "./config.js";
import { referencedBackupKeys } from "./capabilities/backup.js";
import { platformArgsFrom } from "./platform-args.js";
import { preflight } from "./preflight.js";
import { misspeltNamespaces } from "./stack-files.js";

export interface ProgramOptions {
  /**
   * Ask the cluster for the CRDs the stack relies on before registering anything.
   * @default true (the offline render turns it off: there is no cluster)
   */
  preflight?: boolean;
  /**
   * Print the stack's advisories as warnings before deploying.
   * @default true (the offline render prints them in its own summary)
   */
  advisories?: boolean;
}

export async function platformProgram(options: ProgramOptions = {}): Promise<Record<string, unknown>> {
  const misspelt = misspeltNamespaces(Object.keys(pulumi.runtime.allConfig()), CONFIG_NAMESPACE, stackFileFor(pulumi.getStack()));
  if (misspelt.length > 0) throw new pulumi.RunError(misspelt.join("\n"));
  const config = loadPlatformConfig();
  // Valid but probably unmeant: said before anything deploys, and deployed anyway.
  if (options.advisories ?? true) {
    for (const advisory of stackAdvisories(config)) void pulumi.log.warn(formatAdvisory(advisory, stackFileFor(pulumi.getStack())));
  }
  const settings = new pulumi.Config(CONFIG_NAMESPACE);
  // Set in CI deployments; locally the provider uses $KUBECONFIG or ~/.kube/config and `cluster.context`.
  const kubeconfig = settings.getSecret("kubeconfig");

  if (options.preflight ?? true) {
    try {
      // The plain value stays in this process: it only opens the preflight's connection.
      await preflight(clusterRequirementsOf(config), { kubeconfig: settings.get("kubeconfig"), context: config.cluster.context }, stackFileFor(pulumi.getStack()));
    } catch (err) {
      throw new pulumi.RunError(err instanceof Error ? err.message : String(err));
    }
  }

  // Every secret the stack holds, by key: the platform's own (generated when absent), the provider keys
  // the gateway's models name and the keys of the teams' alert receivers (validation has made sure each
  // is set, as a secret).
  const secrets: Record<string, pulumi.Output<string>> = {};
  for (const key of Object.keys(SECRET_CONFIG_KEYS)) {
    const value = key === "kubeconfig" ? undefined : settings.getSecret(key);
    if (value !== undefined) secrets[key] = value;
  }
  for (const model of config.gateway.models) if (model.apiKey) secrets[model.apiKey] = settings.requireSecret(model.apiKey);
  for (const key of referencedBackupKeys(config as unknown as Record<string, unknown>).keys()) secrets[key] = settings.requireSecret(key);
  for (const receivers of Object.values(config.monitoring.teamReceivers)) {
    for (const key of Object.values(receivers)) if (key !== undefined) secrets[key] = settings.requireSecret(key);
  }

  const provider = new k8s.Provider("kubernetes", {
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    ...(config.cluster.context === undefined ? {} : { context: config.cluster.context }),
    // Server-side apply: large CRDs (notebooks, trainer) exceed the client-side annotation limit, and field
    // ownership makes conflicts with other controllers visible instead of silently overwritten.
    enableServerSideApply: true,
  });
  const platform = new MlPlatform("mlops", platformArgsFrom(config, secrets), { providers: { kubernetes: provider } });

  return {
    environment: config.environment,
    clusterProvider: config.cluster.provider,
    namespaces: platform.namespaces,
    certManagerNamespace: platform.certManagerNamespace.apply((namespace) => namespace ?? null),
    priorityClassNames: platform.priorityClassNames,
    teamNamespaces: platform.teamNamespaces,
    // null, not undefined: Pulumi warns about undefined stack outputs (no gateway, no cert-manager of ours).
    gatewayUrl: platform.gatewayUrl.apply((url) => url ?? null),
  };
}
