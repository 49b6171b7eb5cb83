/**
 * MlPlatform's sections are written out field by field (no `Omit<>` or `extends`), so that every Pulumi
 * language can express them. These checks keep them what they were derived from: a child's args without
 * what MlPlatform fills in itself. A field added to a child's args, or one whose type changes, fails to
 * compile here (`npm test` type-checks the tests first) until the section follows.
 */
import { describe, expectTypeOf, it } from "vitest";
import type {
  AiGatewayArgs,
  AiGatewayModelArgs,
  GatewayModel,
  MlPlatformGatewayArgs,
  MlPlatformGatewayDatabaseArgs,
  MlPlatformModelMonitorArgs,
  MlPlatformMonitoringArgs,
  ModelMonitorArgs,
  MlPlatformNotebookAccessArgs,
  MlPlatformNotebookArgs,
  MlPlatformTrainingArgs,
  NotebookAccessArgs,
  MonitoringStackArgs,
  NotebookPlatformArgs,
  PostgresClusterArgs,
  TrainingPlatformArgs,
} from "@mlops-platform/components";
import type * as pulumi from "@pulumi/pulumi";

/** An object type with its properties spelt out, comparable with an interface. */
type Flat<T> = { [K in keyof T]: T[K] };

describe("MlPlatform's section args stay their children's args", () => {
  it("notebooks: NotebookPlatform's args but teams, GPU pools and installController, with enabled and access", () => {
    expectTypeOf<MlPlatformNotebookArgs>().toEqualTypeOf<
      Flat<Omit<NotebookPlatformArgs, "teams" | "gpuPools" | "installController"> & { enabled?: boolean; access?: MlPlatformNotebookAccessArgs }>
    >();
  });

  it("notebooks.access: NotebookAccess's args but its namespace and teams", () => {
    expectTypeOf<MlPlatformNotebookAccessArgs>().toEqualTypeOf<Flat<Omit<NotebookAccessArgs, "namespace" | "teams">>>();
  });

  it("training: TrainingPlatform's args but teams, GPU pools, PriorityClass, what to install and who scrapes Kueue, with enabled", () => {
    expectTypeOf<MlPlatformTrainingArgs>().toEqualTypeOf<
      Flat<Omit<TrainingPlatformArgs, "teams" | "gpuPools" | "priorityClassName" | "installTrainer" | "installKueue" | "kueueMetricsNamespace"> & { enabled?: boolean }>
    >();
  });

  it("gateway: AiGateway's args but namespace, clients and database URL, with the platform's own settings", () => {
    type PlatformOwn = Pick<MlPlatformGatewayArgs, "enabled" | "database" | "adminUrl" | "teams">;
    expectTypeOf<Omit<MlPlatformGatewayArgs, keyof PlatformOwn>>().toEqualTypeOf<Flat<Omit<AiGatewayArgs, "namespace" | "clientNamespaces" | "databaseUrl">>>();
  });

  it("gateway.database: PostgresCluster's args but what MlPlatform names (namespace, cluster, database, owner)", () => {
    expectTypeOf<MlPlatformGatewayDatabaseArgs>().toEqualTypeOf<Flat<Omit<PostgresClusterArgs, "namespace" | "clusterName" | "database" | "owner">>>();
  });

  it("monitoring: MonitoringStack's args but what MlPlatform decides (namespace, install, what it watches), with enabled and the models", () => {
    type Decided = "namespace" | "installPrometheusStack" | "monitored" | "platformNamespaces";
    expectTypeOf<MlPlatformMonitoringArgs>().toEqualTypeOf<Flat<Omit<MonitoringStackArgs, Decided> & { enabled?: boolean; models?: MlPlatformModelMonitorArgs[] }>>();
  });

  it("monitoring.models: ModelMonitor's args but what MlPlatform decides (namespace from the team, where monitors go, retention, runbooks)", () => {
    type Decided = "model" | "namespace" | "monitoringNamespace" | "retentionDays" | "runbookUrl";
    expectTypeOf<MlPlatformModelMonitorArgs>().toEqualTypeOf<Flat<Omit<ModelMonitorArgs, Decided> & { name: string; team: string }>>();
  });

  it("a gateway model: GatewayModel with its key as a secret instead of an environment variable's name", () => {
    expectTypeOf<AiGatewayModelArgs>().toEqualTypeOf<Flat<Omit<GatewayModel, "apiKeyEnv"> & { apiKey?: pulumi.Input<string> }>>();
  });
});
