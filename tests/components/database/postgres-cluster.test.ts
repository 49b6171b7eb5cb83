import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { writeArtifacts } from "@mlops-platform/components/testing";
import { capture, one, ofType } from "../../helpers.js";
import { CloudNativePgOperator, planPostgresCluster, PostgresCluster, POSTGRES_IMAGE, type PostgresClusterArgs } from "./database-api.js";
import { devArgs, gatewayDb, kindsOf, localArgs, object, prodArgs, renderDatabase, stagingArgs } from "./fixtures.js";

const COMPONENT = "mlops-platform:index:PostgresCluster";
const CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const SECRET = "kubernetes:core/v1:Secret";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const OBJECT_STORE = "kubernetes:barmancloud.cnpg.io/v1:ObjectStore";
const SCHEDULED_BACKUP = "kubernetes:postgresql.cnpg.io/v1:ScheduledBackup";

/** Every file below `dir`, with its text. */
function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files.set(path.relative(dir, file), fs.readFileSync(file, "utf8"));
    }
  }
  return files;
}

describe("the owner's password", () => {
  it("is a Pulumi secret from RandomPassword to Secret, and never appears in any rendered file", async () => {
    const rendered = await renderDatabase(prodArgs);
    const secret = one(rendered.result, SECRET, "gateway-db-app-user");
    const plaintext = (secret.plainInputs["stringData"] as Record<string, string>)["password"]!;
    expect(plaintext).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(secret.hasSecretInputs).toBe(true);
    expect(secret.inputs["stringData"]).toBe("<secret>");
    expect(secret.plainInputs["stringData"]).toEqual({ username: "app", password: plaintext });
    expect(one(rendered.result, PASSWORD, "gateway-db-password").inputs).toMatchObject({ length: 32, special: false });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postgres-render-"));
    try {
      writeArtifacts(dir, rendered);
      const files = readTree(dir);
      expect([...files.keys()]).toEqual(expect.arrayContaining(["plan.json", "manifests/mlp-gateway/secret-gateway-db-app-user.yaml"]));
      for (const [file, text] of files) expect({ file, leaks: text.includes(plaintext) }).toEqual({ file, leaks: false });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lives in a basic-auth Secret with username and password, which initdb reads instead of generating one", async () => {
    const { manifests } = await renderDatabase(localArgs);
    const secret = manifests.find((m) => m.kind === "Secret" && m.name === "gateway-db-app-user")!;
    expect(secret.object["type"]).toBe("kubernetes.io/basic-auth");
    // What validators see: the keys, values still masked.
    expect(secret.unmasked["stringData"]).toEqual({ username: "<secret>", password: "<secret>" });
    expect(object(manifests, "Cluster", "gateway-db")["spec"].bootstrap).toEqual({
      initdb: { database: "litellm", owner: "app", secret: { name: "gateway-db-app-user" } },
    });
  });
});

describe("owner names", () => {
  it("take the owner the caller names, in initdb and in the Secret", async () => {
    const result = await capture(() => {
      new PostgresCluster("gateway-db", { ...gatewayDb, owner: "llm" });
    });
    expect(result.errors).toEqual([]);
    expect(one(result, CLUSTER, "gateway-db-cluster").inputs).toMatchObject({ spec: { bootstrap: { initdb: { owner: "llm" } } } });
    expect(one(result, SECRET, "gateway-db-app-user").plainInputs["stringData"]).toMatchObject({ username: "llm" });
  });

  it("of any length renders offline: a basic-auth user name is not a secret, while the password stays one", async () => {
    const rendered = await renderDatabase({ ...gatewayDb, owner: "litellm" });
    const cluster = object(rendered.manifests, "Cluster", "gateway-db");
    expect(cluster["spec"].bootstrap.initdb.owner).toBe("litellm");
    const secret = rendered.result.resources.find((r) => r.type === "kubernetes:core/v1:Secret")!;
    const password = (secret.plainInputs["stringData"] as Record<string, string>)["password"]!;
    expect(password.length).toBeGreaterThanOrEqual(6);
    expect(rendered.result.secretStrings.has(password)).toBe(true);
    for (const [file, text] of rendered.files) expect(text, file).not.toContain(password);
  });
});

describe("PostgresCluster outputs", () => {
  it("give the read-write Service, port, database, user and Secret in the clear, and the connection URI and password only as secrets", async () => {
    const result = await capture(() => {
      const db = new PostgresCluster("gateway-db", gatewayDb);
      return { uri: db.connectionUri, host: db.host };
    });
    expect(result.errors).toEqual([]);
    expect(one(result, COMPONENT, "gateway-db").outputs).toEqual({
      clusterName: "gateway-db",
      host: "gateway-db-rw.mlp-gateway.svc",
      port: 5432,
      database: "litellm",
      username: "app",
      secretName: "gateway-db-app-user",
      connectionUri: "<secret>",
      password: "<secret>",
    });
    expect(result.outputs).toEqual({ uri: "<secret>", host: "gateway-db-rw.mlp-gateway.svc" });
    const password = (one(result, SECRET, "gateway-db-app-user").plainInputs["stringData"] as Record<string, string>)["password"];
    expect(result.secretStrings).toContain(`postgresql://app:${password}@gateway-db-rw.mlp-gateway.svc:5432/litellm`);
  });

  it("connectionUri is secret to the program too, not only in the render", async () => {
    let secret: boolean | undefined;
    const result = await capture(async () => {
      secret = await pulumi.isSecret(new PostgresCluster("gateway-db", gatewayDb).connectionUri);
    });
    expect(result.errors).toEqual([]);
    expect(secret).toBe(true);
  });
});

describe("environments", () => {
  it("prod: 3 instances archiving WAL through barman-cloud, daily base backups, 30 days of point-in-time recovery, protected and retained", async () => {
    const { manifests, result, plan } = await renderDatabase(prodArgs);
    const spec = object(manifests, "Cluster", "gateway-db")["spec"];
    expect(spec.instances).toBe(3);
    expect(spec.plugins).toEqual([{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "gateway-db-backups" } }]);
    expect(object(manifests, "ObjectStore", "gateway-db-backups")["spec"].retentionPolicy).toBe("30d");
    expect(object(manifests, "ScheduledBackup", "gateway-db-backup")["spec"]).toEqual({
      cluster: { name: "gateway-db" },
      schedule: "0 0 2 * * *",
      method: "plugin",
      pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" },
      immediate: true,
      backupOwnerReference: "self",
    });
    for (const [type, name] of [
      [CLUSTER, "gateway-db-cluster"],
      [SECRET, "gateway-db-app-user"],
      [PASSWORD, "gateway-db-password"],
      [OBJECT_STORE, "gateway-db-object-store"],
    ] as const) {
      expect(one(result, type, name)).toMatchObject({ protect: true, retainOnDelete: true });
      expect(plan.resources.find((r) => r.type === type && r.name === name)).toMatchObject({ protect: true, retainOnDelete: true });
    }
  });

  it("local: one instance, no object store, no scheduled backup, no WAL archiver, nothing protected", async () => {
    const { manifests, result } = await renderDatabase(localArgs);
    expect(kindsOf(manifests)).toEqual(["Cluster", "PodMonitor", "Secret"]);
    const spec = object(manifests, "Cluster", "gateway-db")["spec"];
    expect(spec.instances).toBe(1);
    expect(spec.plugins).toBeUndefined();
    expect(ofType(result, OBJECT_STORE)).toEqual([]);
    expect(ofType(result, SCHEDULED_BACKUP)).toEqual([]);
    for (const resource of result.resources) expect({ name: resource.name, protect: resource.protect, retain: resource.retainOnDelete }).toEqual({ name: resource.name, protect: false, retain: false });
  });

  it.each([
    ["dev", 1, "7d", devArgs],
    ["staging", 2, "15d", stagingArgs],
  ] as const)("%s: %i instance(s) with backups kept %s, not protected", async (_env, instances, retention, args) => {
    const { manifests, result } = await renderDatabase(args);
    expect(object(manifests, "Cluster", "gateway-db")["spec"].instances).toBe(instances);
    expect(object(manifests, "ObjectStore", "gateway-db-backups")["spec"].retentionPolicy).toBe(retention);
    expect(kindsOf(manifests)).toContain("ScheduledBackup");
    expect(one(result, CLUSTER, "gateway-db-cluster").protect).toBe(false);
  });
});

describe("the Cluster", () => {
  it("runs the pinned PostgreSQL image with storage, and cpu and memory requests and limits (memory guaranteed)", async () => {
    const { manifests } = await renderDatabase({ ...gatewayDb, storageGiB: 20, storageClass: "gp3", cpuRequestCores: 0.5, cpuLimitCores: 2, memoryMiB: 2048 });
    const spec = object(manifests, "Cluster", "gateway-db")["spec"];
    expect(spec.imageName).toBe(POSTGRES_IMAGE);
    expect(POSTGRES_IMAGE).toMatch(/:18\.\d+-standard-trixie$/);
    expect(spec.storage).toEqual({ size: "20Gi", storageClass: "gp3" });
    expect(spec.resources).toEqual({ requests: { cpu: "500m", memory: "2048Mi" }, limits: { cpu: "2", memory: "2048Mi" } });
  });

  it("has sensible defaults: 10Gi on the default StorageClass, 250m to 1 CPU, 1Gi memory", async () => {
    const { manifests } = await renderDatabase(gatewayDb);
    const spec = object(manifests, "Cluster", "gateway-db")["spec"];
    expect(spec.storage).toEqual({ size: "10Gi" });
    expect(spec.resources).toEqual({ requests: { cpu: "250m", memory: "1024Mi" }, limits: { cpu: "1", memory: "1024Mi" } });
  });

  it("runs postInitApplicationSql once in the new database", async () => {
    const { manifests } = await renderDatabase({ ...gatewayDb, postInitApplicationSql: ["CREATE EXTENSION IF NOT EXISTS pgcrypto"] });
    expect(object(manifests, "Cluster", "gateway-db")["spec"].bootstrap.initdb.postInitApplicationSQL).toEqual(["CREATE EXTENSION IF NOT EXISTS pgcrypto"]);
  });

  it("takes its name from clusterName when given, and every other name follows it", async () => {
    const { manifests, result } = await renderDatabase({ ...devArgs, clusterName: "litellm" });
    expect(manifests.map((m) => `${m.kind}/${m.name}`).sort()).toEqual([
      "Cluster/litellm",
      "ObjectStore/litellm-backups",
      "PodMonitor/litellm",
      "ScheduledBackup/litellm-backup",
      "Secret/litellm-app-user",
    ]);
    expect(one(result, COMPONENT, "gateway-db").outputs["host"]).toBe("litellm-rw.mlp-gateway.svc");
  });

  it("is created after its password Secret and object store, and backups are scheduled after it", async () => {
    const { result } = await renderDatabase(prodArgs);
    const cluster = one(result, CLUSTER, "gateway-db-cluster");
    expect(cluster.dependsOn).toEqual(expect.arrayContaining([one(result, SECRET, "gateway-db-app-user").urn, one(result, OBJECT_STORE, "gateway-db-object-store").urn]));
    expect(one(result, SCHEDULED_BACKUP, "gateway-db-scheduled-backup").dependsOn).toContain(cluster.urn);
  });

  it("waits for the operator the caller passes in dependsOn, and labels every object with the database capability", async () => {
    const result = await capture(() => {
      const operator = new CloudNativePgOperator("cnpg", { barmanCloudPlugin: true });
      new PostgresCluster("gateway-db", gatewayDb, { dependsOn: [operator] });
    });
    expect(result.errors).toEqual([]);
    const component = one(result, COMPONENT, "gateway-db");
    // Children register only once their parent has, and the parent waits for these: CRDs before CRs.
    expect(component.dependsOn).toEqual(ofType(result, "kubernetes:helm.sh/v4:Chart").map((chart) => chart.urn).sort());
    const children = result.resources.filter((r) => r.parent === component.urn);
    expect(children.map((c) => c.name).sort()).toEqual(["gateway-db-app-user", "gateway-db-cluster", "gateway-db-password", "gateway-db-pod-monitor"]);
    for (const child of children.filter((c) => c.type.startsWith("kubernetes:"))) {
      expect((child.inputs["metadata"] as { labels: Record<string, string> }).labels).toEqual({
        "app.kubernetes.io/managed-by": "mlops-platform",
        "app.kubernetes.io/component": "database",
      });
    }
  });
});

describe("backups", () => {
  it("go to the caller's bucket with the caller's S3 credentials, gzip-compressed, with a resourced sidecar", async () => {
    const { manifests } = await renderDatabase({ ...devArgs, backup: { ...devArgs.backup!, endpointUrl: "http://minio.minio.svc:9000" } });
    const spec = object(manifests, "ObjectStore", "gateway-db-backups")["spec"];
    expect(spec.configuration).toEqual({
      destinationPath: "s3://mlp-backups/postgres",
      endpointURL: "http://minio.minio.svc:9000",
      s3Credentials: { accessKeyId: { name: "backup-s3", key: "ACCESS_KEY_ID" }, secretAccessKey: { name: "backup-s3", key: "ACCESS_SECRET_KEY" } },
      wal: { compression: "gzip" },
      data: { compression: "gzip" },
    });
    expect(Object.keys(spec.instanceSidecarConfiguration.resources).sort()).toEqual(["limits", "requests"]);
  });

  it.each([
    ["gs://mlp-backups/postgres", { googleCredentials: { applicationCredentials: { name: "backup-creds", key: "gcsCredentials" } } }],
    ["https://mlpbackups.blob.core.windows.net/postgres", { azureCredentials: { connectionString: { name: "backup-creds", key: "AZURE_STORAGE_CONNECTION_STRING" } } }],
  ])("to %s read that provider's credential keys", async (destinationPath, credentials) => {
    const { manifests } = await renderDatabase({ ...gatewayDb, backup: { destinationPath, credentialsSecretName: "backup-creds" } });
    expect(object(manifests, "ObjectStore", "gateway-db-backups")["spec"].configuration).toMatchObject({ destinationPath, ...credentials });
  });

  it("from keys in the stack's secret config: the component writes them into a Secret of its own, secret end to end, before the Cluster", async () => {
    const rendered = await renderDatabase({
      ...gatewayDb,
      backup: { destinationPath: "s3://mlp-backups/postgres", credentials: { accessKeyId: pulumi.secret("AKIAEXAMPLE"), secretAccessKey: pulumi.secret("s3cr3t-value") } },
    });
    const secret = one(rendered.result, SECRET, "gateway-db-backup-credentials");
    expect(secret.hasSecretInputs).toBe(true);
    expect(secret.inputs["stringData"]).toBe("<secret>");
    expect(secret.plainInputs["stringData"]).toEqual({ ACCESS_KEY_ID: "AKIAEXAMPLE", ACCESS_SECRET_KEY: "s3cr3t-value" });
    expect(object(rendered.manifests, "ObjectStore", "gateway-db-backups")["spec"].configuration.s3Credentials).toEqual({
      accessKeyId: { name: "gateway-db-backup-credentials", key: "ACCESS_KEY_ID" },
      secretAccessKey: { name: "gateway-db-backup-credentials", key: "ACCESS_SECRET_KEY" },
    });
    expect(one(rendered.result, CLUSTER, "gateway-db-cluster").dependsOn).toContain(secret.urn);
    for (const manifest of rendered.manifests) expect(JSON.stringify(manifest.object)).not.toContain("s3cr3t-value");
  });

  it.each([
    ["s3://mlp-backups/postgres", { awsRoleArn: "arn:aws:iam::123456789012:role/mlp-backups" }, "eks.amazonaws.com/role-arn", { s3Credentials: { inheritFromIAMRole: true } }, undefined],
    ["gs://mlp-backups/postgres", { gcpServiceAccount: "mlp-backups@ml-prod.iam.gserviceaccount.com" }, "iam.gke.io/gcp-service-account", { googleCredentials: { gkeEnvironment: true } }, undefined],
    [
      "https://mlpbackups.blob.core.windows.net/postgres",
      { azureClientId: "0f0e0d0c-1b1a-2c2d-3e3f-404142434445" },
      "azure.workload.identity/client-id",
      { azureCredentials: { inheritFromAzureAD: true } },
      { labels: { "azure.workload.identity/use": "true" } },
    ],
  ])("to %s through workload identity: the instances' ServiceAccount is annotated and no key exists anywhere", async (destinationPath, workloadIdentity, annotation, credentials, inherited) => {
    const { manifests } = await renderDatabase({ ...gatewayDb, backup: { destinationPath, workloadIdentity } });
    const spec = object(manifests, "Cluster", "gateway-db")["spec"];
    expect(spec.serviceAccountTemplate).toEqual({ metadata: { annotations: { [annotation]: Object.values(workloadIdentity)[0] } } });
    expect(spec.inheritedMetadata).toEqual(inherited);
    const configuration = object(manifests, "ObjectStore", "gateway-db-backups")["spec"].configuration;
    expect(configuration).toMatchObject(credentials);
    expect(kindsOf(manifests).filter((kind) => kind === "Secret")).toHaveLength(1);
  });

  it("archive WAL through the barman-cloud plugin, into the cluster's own folder unless serverName says another", async () => {
    const { manifests } = await renderDatabase(devArgs);
    expect(object(manifests, "Cluster", "gateway-db")["spec"].affinity).toEqual({ enablePodAntiAffinity: true, podAntiAffinityType: "preferred", topologyKey: "kubernetes.io/hostname" });
    expect(object(manifests, "Cluster", "gateway-db")["spec"].plugins).toEqual([
      { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "gateway-db-backups" }, isWALArchiver: true },
    ]);
    const moved = await renderDatabase({ ...devArgs, backup: { ...devArgs.backup!, serverName: "gateway-db-2" } });
    expect(object(moved.manifests, "Cluster", "gateway-db")["spec"].plugins[0].parameters).toEqual({ barmanObjectName: "gateway-db-backups", serverName: "gateway-db-2" });
  });

  it("follow a custom six-field schedule", async () => {
    const { manifests } = await renderDatabase({ ...gatewayDb, backup: { ...devArgs.backup!, schedule: "0 30 1 * * sun" } });
    expect(object(manifests, "ScheduledBackup", "gateway-db-backup")["spec"].schedule).toBe("0 30 1 * * sun");
  });
});

describe("point-in-time recovery", () => {
  const recovering: PostgresClusterArgs = {
    ...prodArgs,
    backup: { ...prodArgs.backup!, serverName: "gateway-db-restored" },
    recovery: { sourceServerName: "gateway-db", targetTime: "2026-11-28T07:00:00Z" },
  };

  it("bootstraps the new cluster from the source's backups up to the target time, and archives to a new folder", async () => {
    const { manifests } = await renderDatabase(recovering);
    const spec = object(manifests, "Cluster", "gateway-db")["spec"];
    expect(spec.bootstrap).toEqual({
      recovery: {
        source: "origin",
        database: "litellm",
        owner: "app",
        secret: { name: "gateway-db-app-user" },
        recoveryTarget: { targetTime: "2026-11-28T07:00:00Z" },
      },
    });
    expect(spec.externalClusters).toEqual([
      { name: "origin", plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "gateway-db-backups", serverName: "gateway-db" } } },
    ]);
    expect(spec.plugins[0].parameters).toEqual({ barmanObjectName: "gateway-db-backups", serverName: "gateway-db-restored" });
  });

  it("without a target replays every archived WAL segment", async () => {
    const { manifests } = await renderDatabase({ ...recovering, recovery: { sourceServerName: "gateway-db" } });
    expect(object(manifests, "Cluster", "gateway-db")["spec"].bootstrap.recovery.recoveryTarget).toBeUndefined();
  });

  it.each([
    ["recovery over the source's own folder", { ...recovering, backup: prodArgs.backup }, 'backup.serverName: got "gateway-db"; a recovered cluster must archive to a new folder, not over its source "gateway-db"'],
    ["recovery without a backup", { ...gatewayDb, recovery: { sourceServerName: "gateway-db" } }, "recovery: got"],
    ["a target time without a zone", { ...recovering, recovery: { sourceServerName: "gateway-db", targetTime: "2026-11-28 07:00" } }, "recovery.targetTime: got \"2026-11-28 07:00\"; use an RFC 3339 timestamp"],
  ])("fails on %s", (_case, args, message) => {
    expect(() => planPostgresCluster("gateway-db", args as PostgresClusterArgs)).toThrow(message);
  });
});

describe("the PodMonitor", () => {
  it("scrapes port metrics (9187) of the cluster's pods, selected by cnpg.io/cluster", async () => {
    const { manifests } = await renderDatabase(gatewayDb);
    expect(object(manifests, "PodMonitor", "gateway-db")["spec"]).toEqual({
      selector: { matchLabels: { "cnpg.io/cluster": "gateway-db" } },
      podMetricsEndpoints: [{ port: "metrics" }],
    });
  });

  it("is left out when podMonitor is false (no Prometheus Operator)", async () => {
    const { manifests } = await renderDatabase({ ...gatewayDb, podMonitor: false });
    expect(kindsOf(manifests)).toEqual(["Cluster", "Secret"]);
  });
});

describe("bad PostgresCluster args", () => {
  const plan = (args: Partial<PostgresClusterArgs>, name = "gateway-db") => () => planPostgresCluster(name, { ...gatewayDb, ...args });
  const backup = devArgs.backup!;

  it.each([
    ["no instances", { instances: 0 }, "instances: got 0; use a whole number of instances, at least 1"],
    ["half an instance", { instances: 1.5 }, "instances: got 1.5; use a whole number of instances, at least 1"],
    ["no storage", { storageGiB: 0 }, "storageGiB: got 0; use a whole number of GiB, at least 1"],
    ["a namespace that is not a DNS label", { namespace: "MLP_Gateway" }, 'namespace: got "MLP_Gateway"; use a namespace name'],
    ["a cluster name over CloudNativePG's 50 characters", { clusterName: "a".repeat(51) }, "use a DNS label that starts with a letter, at most 50 characters"],
    ["a cluster name starting with a digit", { clusterName: "1db" }, 'clusterName: got "1db"; use a DNS label that starts with a letter'],
    ["the postgres database", { database: "postgres" }, 'database: got "postgres"; use a lowercase SQL name (letters, digits, "_"), not postgres, template0, template1'],
    ["a database name needing quotes", { database: "Lite-LLM" }, 'database: got "Lite-LLM"'],
    ["the superuser as owner", { owner: "postgres" }, 'owner: got "postgres"; use a lowercase SQL name (letters, digits, "_"); postgres, streaming_replica and pg_* are reserved'],
    ["a reserved pg_ role", { owner: "pg_monitor" }, 'owner: got "pg_monitor"'],
    ["an image on latest", { imageName: "ghcr.io/cloudnative-pg/postgresql:latest" }, "must not use the tag latest"],
    ["an image without a tag", { imageName: "ghcr.io/cloudnative-pg/postgresql" }, "needs a tag"],
    ["a CPU limit below the request", { cpuRequestCores: 2, cpuLimitCores: 1 }, "cpuLimitCores: got 1; use at least cpuRequestCores (2)"],
    ["too little memory", { memoryMiB: 128 }, "memoryMiB: got 128; use a whole number of MiB, at least 256"],
    ["an unknown object store", { backup: { ...backup, destinationPath: "minio://bucket" } }, 'backup.destinationPath: got "minio://bucket"; use s3://bucket/path, gs://bucket/path'],
    ["no credentials Secret", { backup: { ...backup, credentialsSecretName: "" } }, 'backup.credentialsSecretName: got ""; name the Secret'],
    ["no way to reach the object store", { backup: { destinationPath: backup.destinationPath } }, "backup: got nothing; give exactly one of credentials"],
    ["two ways to reach the object store", { backup: { ...backup, workloadIdentity: { awsRoleArn: "arn:aws:iam::123456789012:role/r" } } }, 'backup: got "workloadIdentity, credentialsSecretName"; give exactly one of'],
    ["S3 keys without the secret key", { backup: { destinationPath: backup.destinationPath, credentials: { accessKeyId: "AKIA" } } }, "backup.credentials.secretAccessKey: got nothing; the s3 store at s3://mlp-backups/postgres needs accessKeyId and secretAccessKey"],
    ["a GCS key for an S3 store", { backup: { destinationPath: backup.destinationPath, credentials: { accessKeyId: "a", secretAccessKey: "b", gcsCredentials: "{}" } } }, "backup.credentials.gcsCredentials: got \"<secret>\"; not used by a s3 store"],
    ["an Azure identity beside a GCS one", { backup: { destinationPath: "gs://b/p", workloadIdentity: { gcpServiceAccount: "backups@ml-prod.iam.gserviceaccount.com", azureClientId: "x" } } }, 'backup.workloadIdentity.azureClientId: got "x"; not used by a gcs store; give gcpServiceAccount'],
    ["a GCS store without its identity", { backup: { destinationPath: "gs://b/p", workloadIdentity: {} } }, "backup.workloadIdentity.gcpServiceAccount: got nothing; use a Google service account email (<name>@<project>.iam.gserviceaccount.com) for gs://b/p"],
    ["a role name instead of its ARN", { backup: { destinationPath: backup.destinationPath, workloadIdentity: { awsRoleArn: "mlp-backups" } } }, 'backup.workloadIdentity.awsRoleArn: got "mlp-backups"; use an IAM role ARN (arn:aws:iam::<account>:role/<name>) for s3://mlp-backups/postgres'],
    ["an unknown anti-affinity", { podAntiAffinity: "always" }, 'podAntiAffinity: got "always"; use one of preferred, required'],
    ["a five-field crontab schedule", { backup: { ...backup, schedule: "0 2 * * *" } }, 'backup.schedule: got "0 2 * * *"; a schedule has six fields, seconds first (e.g. "0 0 2 * * *"), got 5; crontab\'s five fields need a seconds field first: "0 0 2 * * *"'],
    ["an hour out of range", { backup: { ...backup, schedule: "0 0 25 * * *" } }, 'hours "25" is outside 0-23'],
    ["no retention", { backup: { ...backup, retentionDays: 0 } }, "backup.retentionDays: got 0; use a whole number of days, at least 1"],
  ])("fails on %s", (_case, args, message) => {
    expect(plan(args as Partial<PostgresClusterArgs>)).toThrow(pulumi.InputPropertyError);
    expect(plan(args as Partial<PostgresClusterArgs>)).toThrow(message);
  });

  it("names the component, and says the component name was used when clusterName is unset", () => {
    expect(plan({}, "Gateway_DB")).toThrow(
      'mlops-platform:index:PostgresCluster "Gateway_DB": clusterName: got "Gateway_DB"; use a DNS label that starts with a letter, at most 50 characters (the component name is used when clusterName is not set)',
    );
  });

  it("fails before creating anything", async () => {
    const result = await capture(() => {
      new PostgresCluster("gateway-db", { ...gatewayDb, instances: 0 });
    });
    expect(result.errors.map((e) => e.message).join("\n")).toContain("instances: got 0");
    expect(result.resources.filter((r) => r.type.startsWith("kubernetes:") || r.type.startsWith("random:"))).toEqual([]);
  });
});
