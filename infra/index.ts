/**
 * The Pulumi program: read and validate the stack's config, build the Kubernetes provider, compose one
 * MlPlatform. `pulumi up -s <env>` runs it against a cluster; `npm run render -- --stack <env>` runs it
 * offline under mocks.
 */
import * as k8s from "@pulumi/kubernetes";
import { MlPlatform } from "@mlops-platform/components";
import { loadPlatformConfig } from "./config.js";
import { platformArgsFrom } from "./platform-args.js";

const config = loadPlatformConfig();

const provider = new k8s.Provider("kubernetes", {
  ...(config.cluster.context === undefined ? {} : { context: config.cluster.context }),
  // Server-side apply: large CRDs (notebooks, trainer) exceed the client-side annotation limit, and field
  // ownership makes conflicts with other controllers visible instead of silently overwritten.
  enableServerSideApply: true,
});

const platform = new MlPlatform("mlops", platformArgsFrom(config), { providers: { kubernetes: provider } });

export const environment = config.environment;
export const clusterProvider = config.cluster.provider;
export const namespaces = platform.namespaces;
export const certManagerNamespace = platform.certManagerNamespace;
export const priorityClassNames = platform.priorityClassNames;
