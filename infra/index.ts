/**
 * The Pulumi program: read and validate the stack's config, build the Kubernetes provider, compose one
 * MlPlatform. `pulumi up -s <env>` runs it against a cluster; `npm run render -- --stack <env>` runs it
 * offline under mocks.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MlPlatform } from "@mlops-platform/components";
import { CONFIG_NAMESPACE, loadPlatformConfig } from "./config.js";
import { platformArgsFrom } from "./platform-args.js";

const config = loadPlatformConfig();
// Only set when deploying from CI; locally the provider uses ~/.kube/config (or $KUBECONFIG) and `context`.
const secrets = new pulumi.Config(CONFIG_NAMESPACE);
const kubeconfig = secrets.getSecret("kubeconfig");

const provider = new k8s.Provider("kubernetes", {
  ...(kubeconfig === undefined ? {} : { kubeconfig }),
  ...(config.cluster.context === undefined ? {} : { context: config.cluster.context }),
  // Server-side apply: large CRDs (notebooks, trainer) exceed the client-side annotation limit, and field
  // ownership makes conflicts with other controllers visible instead of silently overwritten.
  enableServerSideApply: true,
});

const notebookOidcClientSecret = secrets.getSecret("notebookOidcClientSecret");
// Validation has made sure every key a gateway model names is set, as a secret.
const providerKeys = Object.fromEntries(
  config.gateway.models.flatMap((model) => (model.apiKey ? [[model.apiKey, secrets.requireSecret(model.apiKey)] as const] : [])),
);
const platform = new MlPlatform(
  "mlops",
  platformArgsFrom(config, { providerKeys, ...(notebookOidcClientSecret === undefined ? {} : { notebookOidcClientSecret }) }),
  { providers: { kubernetes: provider } },
);

export const environment = config.environment;
export const clusterProvider = config.cluster.provider;
export const namespaces = platform.namespaces;
export const certManagerNamespace = platform.certManagerNamespace;
export const priorityClassNames = platform.priorityClassNames;
export const teamNamespaces = platform.teamNamespaces;
// null, not undefined: Pulumi warns about undefined stack outputs, and a stack without a gateway has none.
export const gatewayUrl = platform.gatewayUrl.apply((url) => url ?? null);
