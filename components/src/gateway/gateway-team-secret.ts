import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { platformLabels } from "../common/kubernetes.js";

/** Name of the Secret that holds a team's gateway key in the team's namespace. */
export const GATEWAY_KEY_SECRET_NAME = "ai-gateway-key";
/** Key of the gateway key inside that Secret: pods read it with `secretKeyRef`. */
export const GATEWAY_KEY_SECRET_KEY = "api-key";

export interface GatewayKeySecretArgs {
  /** The team's namespace. */
  namespace: pulumi.Input<string>;
  /** The team's gateway key, usually `GatewayTeam.apiKey`. Stored as a secret whatever is passed. */
  apiKey: pulumi.Input<string>;
}

/**
 * The Secret `ai-gateway-key` in a team's namespace, with the team's gateway key under `api-key`, so the
 * team's pods use the gateway with `secretKeyRef: { name: ai-gateway-key, key: api-key }` and never see
 * the master key. The key is a secret in Pulumi's state and outputs.
 */
export function gatewayKeySecret(name: string, args: GatewayKeySecretArgs, opts?: pulumi.CustomResourceOptions): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(
    `${name}-gateway-key`,
    {
      metadata: { name: GATEWAY_KEY_SECRET_NAME, namespace: args.namespace, labels: platformLabels("ai-gateway") },
      type: "Opaque",
      stringData: { [GATEWAY_KEY_SECRET_KEY]: pulumi.secret(args.apiKey) },
    },
    // The Secret class itself asks for `data` and `stringData` to be encrypted in state.
    opts,
  );
}
