/**
 * The database rule: from staging on, every PostgreSQL cluster (CloudNativePG) the stack declares is
 * protected, archives WAL and is backed up on a schedule, so nothing a team registered is ever lost: not by
 * `pulumi destroy`, not by a deleted volume, not by a mistake found a week later. It reads the CloudNativePG
 * objects themselves, so it holds for any database, the platform's or a team's own.
 */
import { stackRule } from "../enforcement.js";
import { asList, asString, dig, isKind, namespaceOf, objectNameOf } from "../kubernetes.js";

/** Group of CloudNativePG's kinds. */
const CNPG_GROUP = "postgresql.cnpg.io";

/** Environments whose databases hold what must survive: staging rehearses prod's recovery. */
const DURABLE_ENVIRONMENTS: ReadonlySet<string> = new Set(["staging", "prod"]);

/** PostgreSQL clusters in staging and prod are protected, archive WAL and have a ScheduledBackup. */
export const databaseSafety = stackRule({
  id: "database-safety",
  description: "In staging and prod, every PostgreSQL cluster (CloudNativePG) is protected, archives WAL and is backed up on a schedule.",
  remediationSteps:
    "Set <capability>.database.protect: true and <capability>.database.backup (destinationPath and workloadIdentity or credentials) in the stack file; the platform then archives WAL and schedules base backups.",
  enforcement: { local: "advisory", dev: "advisory", staging: "mandatory", prod: "mandatory" },
  settings: [],
  check({ resources }, settings, report) {
    if (settings.environment !== undefined && !DURABLE_ENVIRONMENTS.has(settings.environment)) return;
    const clusters = resources.filter((r) => isKind(r.type, CNPG_GROUP, "Cluster"));
    const scheduled = new Set(
      resources
        .filter((r) => isKind(r.type, CNPG_GROUP, "ScheduledBackup") && dig(r.props, "spec", "suspend") !== true)
        .map((r) => `${namespaceOf(r.props)}/${asString(dig(r.props, "spec", "cluster", "name")) ?? ""}`),
    );
    for (const cluster of clusters) {
      const name = `${namespaceOf(cluster.props)}/${objectNameOf(cluster.props, cluster.name)}`;
      if (!cluster.opts.protect) {
        report(`PostgreSQL cluster ${name} is not protected: pulumi destroy would delete it and its volumes; set database.protect: true for it`, cluster.urn);
      }
      const archivesWal = asList(dig(cluster.props, "spec", "plugins")).some((plugin) => dig(plugin, "isWALArchiver") === true && dig(plugin, "enabled") !== false);
      if (!archivesWal) {
        report(`PostgreSQL cluster ${name} archives no WAL, so it cannot be restored to a point in time: set database.backup for it`, cluster.urn);
      }
      if (!scheduled.has(name)) {
        report(`PostgreSQL cluster ${name} has no ScheduledBackup: set database.backup for it (base backups run daily)`, cluster.urn);
      }
    }
  },
});
