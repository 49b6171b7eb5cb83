import { expect } from "vitest";
import { buildArtifacts, type CaptureResult, type Manifest, type RenderArtifacts } from "@mlops-platform/components/testing";
import { capture } from "../../helpers.js";
import { DATABASE_VALIDATORS, PostgresCluster, type PostgresBackupArgs, type PostgresClusterArgs } from "./database-api.js";

/** The AI gateway's database, as the gateway will ask for it (owner: CloudNativePG's default, `app`). */
export const gatewayDb: PostgresClusterArgs = { namespace: "mlp-gateway", database: "litellm" };

const s3Backup: PostgresBackupArgs = { destinationPath: "s3://mlp-backups/postgres", credentialsSecretName: "backup-s3" };

/** What the infra layer's presets pass per environment (infra/capabilities/gateway.ts). */
export const localArgs: PostgresClusterArgs = { ...gatewayDb, instances: 1 };
export const devArgs: PostgresClusterArgs = { ...gatewayDb, instances: 1, backup: { ...s3Backup, retentionDays: 7 } };
export const stagingArgs: PostgresClusterArgs = { ...gatewayDb, instances: 2, backup: { ...s3Backup, retentionDays: 15 } };
export const prodArgs: PostgresClusterArgs = { ...gatewayDb, instances: 3, backup: { ...s3Backup, retentionDays: 30 }, protect: true };

export interface Rendered extends RenderArtifacts {
  result: CaptureResult;
}

/**
 * Renders one PostgresCluster `gateway-db` under mocks and validates every object with the database
 * validators: a rendering with any schema problem fails the calling test.
 */
export async function renderDatabase(args: PostgresClusterArgs): Promise<Rendered> {
  const result = await capture(() => {
    new PostgresCluster("gateway-db", args);
  });
  expect(result.errors).toEqual([]);
  const artifacts = await buildArtifacts(result, { validators: DATABASE_VALIDATORS });
  expect(artifacts.problems).toEqual([]);
  return { ...artifacts, result };
}

/** The object of the one manifest with this kind and name. */
export function object(manifests: Manifest[], kind: string, name: string): Record<string, any> {
  const found = manifests.find((m) => m.kind === kind && m.name === name);
  if (!found) throw new Error(`no ${kind} ${name}; rendered: ${manifests.map((m) => `${m.kind}/${m.name}`).join(", ")}`);
  return found.object as Record<string, any>;
}

export const kindsOf = (manifests: Manifest[]): string[] => manifests.map((m) => m.kind).sort();
