import * as pulumi from "@pulumi/pulumi";
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
