/**
 * The gateway's children: the gateway database, the gateway,
 * and every team's gateway team and key (through the admin API, or reconciled in the cluster).
 */
import { planPostgresCluster } from "../database/postgres-cluster.js";
import { GATEWAY_NAMESPACE, planAiGateway } from "../gateway/ai-gateway.js";
import { validateGatewayTeamArgs } from "../gateway/gateway-team.js";
import { planGatewayTeamReconciler } from "../gateway/team-reconciler.js";
import { child } from "./child-spec.js";
import { prometheusNamespace } from "./monitoring-child.js";
import type { PlatformChildren } from "./children.js";
import type { MlPlatformPlan } from "./plan.js";
/** Stand-ins for values only known once a sibling is created; the children do not judge their content. */
const DATABASE_URL_PLACEHOLDER = "postgresql://<the gateway database's connection URI>";
const MASTER_KEY_PLACEHOLDER = "<the gateway's master key>";

export function gatewayChildren(name: string, plan: MlPlatformPlan): Pick<PlatformChildren, "gatewayDatabase" | "gateway" | "gatewayTeams" | "gatewayTeamReconciler"> {
  if (plan.gateway === undefined) return { gatewayTeams: [] };
  const { enabled: _enabled, database: databaseArgs, adminUrl, teams: gatewayTeams, ...gatewayArgs } = plan.gateway.args;
  const gatewayDatabase = databaseArgs
    ? child(
        "PostgresCluster",
        `${name}-gateway-db`,
        { ...databaseArgs, podMonitor: plan.monitors.gatewayDatabase, namespace: GATEWAY_NAMESPACE, clusterName: "gateway-db", database: "litellm", owner: "litellm" },
        [[/^(namespace|clusterName|database|owner)$/, "gateway.database"]],
        "gateway.database",
        planPostgresCluster,
      )
    : undefined;
  const gateway = child(
    "AiGateway",
    `${name}-gateway`,
    {
      ...(prometheusNamespace(plan) ? { monitoringNamespace: prometheusNamespace(plan) } : {}),
      ...gatewayArgs,
      serviceMonitor: plan.monitors.gateway,
      namespace: GATEWAY_NAMESPACE,
      clientNamespaces: plan.teams.map((team) => team.namespace),
    },
    [
      [/^namespace$/, "gateway"],
      [/^clientNamespaces\[(\d+)\]$/, "teams[$1].name"],
    ],
    "gateway",
    (gatewayName, args) => planAiGateway(gatewayName, { ...args, ...(databaseArgs ? { databaseUrl: DATABASE_URL_PLACEHOLDER } : {}) }),
  );
  // Teams and keys are LiteLLM API objects, in its database: managed through an admin URL Pulumi can reach
  // when one is given, else by the reconciler in the cluster.
  const gatewayTeamReconciler =
    databaseArgs && !adminUrl
      ? child(
          "GatewayTeamReconciler",
          `${name}-gateway-teams`,
          {
            namespace: GATEWAY_NAMESPACE,
            ...(gatewayArgs.image ? { image: gatewayArgs.image } : {}),
            teams: plan.teams.map((team) => {
              const settings = gatewayTeams?.[team.name] ?? {};
              return {
                name: team.name,
                namespace: team.namespace,
                models: settings.models ?? gatewayArgs.models.map((model) => model.name),
                ...(settings.monthlyBudgetUsd !== undefined ? { maxBudgetUsd: settings.monthlyBudgetUsd } : {}),
                ...(settings.tpmLimit !== undefined ? { tpmLimit: settings.tpmLimit } : {}),
                ...(settings.rpmLimit !== undefined ? { rpmLimit: settings.rpmLimit } : {}),
              };
            }),
          },
          [
            [/^namespace$/, "gateway"],
            [/^image$/, "gateway.image"],
            [/^teams\[(\d+)\]\.(name|namespace)$/, "teams[$1].name"],
            [
              /^teams\[(\d+)\]\.(.*)$/,
              (_all, index, field) => `gateway.teams.${plan.teams[Number(index)]?.name}.${field === "maxBudgetUsd" || field === "budgetDuration" ? "monthlyBudgetUsd" : field}`,
            ],
          ],
          "gateway",
          planGatewayTeamReconciler,
        )
      : undefined;
  const teams =
    adminUrl && databaseArgs
      ? plan.teams.map((team, index) => {
          const settings = gatewayTeams?.[team.name] ?? {};
          const at = `gateway.teams.${team.name}`;
          return child(
            "GatewayTeam",
            `${name}-gateway-team-${team.name}`,
            {
              adminUrl,
              teamAlias: team.name,
              models: settings.models ?? gatewayArgs.models.map((model) => model.name),
              ...(settings.monthlyBudgetUsd !== undefined ? { maxBudgetUsd: settings.monthlyBudgetUsd, budgetDuration: "30d" } : {}),
              ...(settings.tpmLimit !== undefined ? { tpmLimit: settings.tpmLimit } : {}),
              ...(settings.rpmLimit !== undefined ? { rpmLimit: settings.rpmLimit } : {}),
            },
            [
              [/^adminUrl$/, "gateway.adminUrl"],
              [/^masterKey$/, "gateway.masterKey"],
              [/^(teamAlias|keyAlias)$/, `teams[${index}].name`],
              [/^models$/, settings.models !== undefined ? `${at}.models` : "gateway.models"],
              [/^(maxBudgetUsd|budgetDuration)$/, `${at}.monthlyBudgetUsd`],
            ],
            at,
            (teamName, args) => validateGatewayTeamArgs(teamName, { ...args, masterKey: MASTER_KEY_PLACEHOLDER }),
          );
        })
      : [];
  return {
    ...(gatewayDatabase ? { gatewayDatabase } : {}),
    gateway,
    gatewayTeams: teams,
    ...(gatewayTeamReconciler ? { gatewayTeamReconciler } : {}),
  };
}
