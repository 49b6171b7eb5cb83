/**
 * The backup settings every database of the stack shares (`gateway.database.backup`,
 * `catalog.database.backup`): where base backups and WAL go and how the database reaches the object store.
 * Credentials are either the cloud identity of the database's ServiceAccount (no key anywhere) or secret
 * config keys the stack names and turns into a Secret itself, so the first `pulumi up` needs nothing
 * created by hand in a namespace the stack makes.
 */
import type { PostgresBackupArgs, PostgresBackupCredentialsArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformSecrets } from "./capability.js";
import { SECRET_KEY_NAME } from "./fields.js";

const secretKeyName = z
  .string({ error: "expected the name of a secret config key, such as catalogBackupAccessKeyId" })
  .regex(SECRET_KEY_NAME, { error: "expected the name of a secret config key, such as catalogBackupAccessKeyId" });

/** Names of secret config keys holding the object store's keys, per PostgresBackupCredentialsArgs field. */
const credentialKeys = z.strictObject({
  accessKeyId: secretKeyName.optional(),
  secretAccessKey: secretKeyName.optional(),
  gcsCredentials: secretKeyName.optional(),
  azureConnectionString: secretKeyName.optional(),
});

export const backupSection = z.strictObject({
  destinationPath: z.string(),
  /** Secret config keys (pulumi config set --secret <key> ...) the stack writes into the database's Secret. */
  credentials: credentialKeys.optional(),
  /** The cloud identity of the instances' ServiceAccount: awsRoleArn, azureClientId or gcpServiceAccount. */
  workloadIdentity: z.strictObject({ awsRoleArn: z.string().optional(), azureClientId: z.string().optional(), gcpServiceAccount: z.string().optional() }).optional(),
  /** A Secret that already exists in the database's namespace. */
  credentialsSecretName: z.string().optional(),
  retentionDays: z.number().default(30),
  schedule: z.string().optional(),
  /** The cluster's folder in the object store; a restored cluster needs a new one. */
  serverName: z.string().optional(),
});
export type BackupSection = z.infer<typeof backupSection>;

/** What a backup section needs said when it is missing in an environment that requires one. */
export const BACKUP_REQUIRED =
  "destinationPath of the object store for base backups and WAL, and workloadIdentity (the database's cloud identity) or credentials (secret config keys)";

/** A point-in-time recovery of the database: the stack option that creates it from its backups. */
export const recoverySection = z.strictObject({ sourceServerName: z.string(), targetTime: z.string().optional() });

/** The secret config keys a backup section names. */
export function backupSecretKeys(backup: unknown): string[] {
  const credentials = backup && typeof backup === "object" ? (backup as Record<string, unknown>)["credentials"] : undefined;
  if (!credentials || typeof credentials !== "object") return [];
  return Object.values(credentials).filter((key): key is string => typeof key === "string" && SECRET_KEY_NAME.test(key));
}

/** PostgresCluster's backup args from a section, with the named keys' secret values. */
export function backupArgs(section: BackupSection, secrets: PlatformSecrets): PostgresBackupArgs {
  const { credentials, ...rest } = section;
  const values = credentials
    ? (Object.fromEntries(
        Object.entries(credentials).flatMap(([field, key]) => (key !== undefined && secrets[key] !== undefined ? [[field, secrets[key]]] : [])),
      ) as PostgresBackupCredentialsArgs)
    : undefined;
  return { ...rest, ...(values !== undefined ? { credentials: values } : {}) };
}

/** Where the stack's databases keep their backup sections. */
const BACKUP_PATHS = [
  ["gateway", "database", "backup"],
  ["catalog", "database", "backup"],
] as const;

/**
 * Secret config keys the databases' backup sections name, each with what it holds: they must be set, as
 * secrets (the stack writes them into the database's Secret).
 */
export function referencedBackupKeys(raw: Record<string, unknown>): Map<string, string> {
  const keys = new Map<string, string>();
  for (const path of BACKUP_PATHS) {
    let section: unknown = raw;
    for (const part of path) section = section && typeof section === "object" ? (section as Record<string, unknown>)[part] : undefined;
    for (const key of backupSecretKeys(section)) keys.set(key, `an object store key of ${path.slice(0, 2).join(".")}'s backups: pulumi config set --secret ${key} <value>`);
  }
  return keys;
}
