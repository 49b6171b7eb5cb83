import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import * as random from "@pulumi/random";

/**
 * A secret the caller may supply (from a vault, or the stack's secret config) or leave to the platform to
 * generate with `@pulumi/random`: letters and digits only, so it is safe in URIs, config files and
 * environment variables without escaping. Either way the result is a Pulumi secret.
 *
 * `resourceOptions` apply to the generated password (e.g. `protect` for a database's).
 */
export function suppliedOrGeneratedSecret(
  supplied: pulumi.Input<string> | undefined,
  name: string,
  length: number,
  resourceOptions: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
  if (supplied !== undefined) return pulumi.secret(supplied);
  return pulumi.secret(new random.RandomPassword(name, { length, special: false }, resourceOptions).result);
}

/** Pod-template annotation carrying the version of the Secret a Deployment's pods read. */
export const SECRET_VERSION_ANNOTATION = "mlops-platform.io/secret-version";

/**
 * A Deployment (as a builder returns it) whose pods roll when the Secret they read changes: Kubernetes
 * restarts nothing when a Secret behind `envFrom` or `secretKeyRef` changes, so the Secret's
 * `resourceVersion`, which changes with every write of it, goes into the pod template. Not a digest of the
 * data: a digest is secret too (a weak supplied password could be guessed back from it), and a secret in
 * the pod template would make Pulumi encrypt and hide the Deployment's whole spec.
 */
export function rollOnSecretChange(deployment: IDeployment, secret: k8s.core.v1.Secret): k8s.apps.v1.DeploymentArgs {
  const template = deployment.spec?.template;
  return {
    ...(deployment as k8s.apps.v1.DeploymentArgs),
    spec: {
      ...(deployment.spec as k8s.types.input.apps.v1.DeploymentSpec),
      template: {
        ...(template as k8s.types.input.core.v1.PodTemplateSpec),
        metadata: {
          ...template?.metadata,
          annotations: { ...template?.metadata?.annotations, [SECRET_VERSION_ANNOTATION]: secret.metadata.resourceVersion },
        },
      },
    },
  };
}
