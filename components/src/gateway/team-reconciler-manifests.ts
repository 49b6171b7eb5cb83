/**
 * Pure builders of the objects behind a GatewayTeamReconciler: the desired teams and the reconciler script
 * (ConfigMaps), the Job that runs it after every change and the CronJob that heals drift, the service
 * account with, in each team's namespace, a Role that reaches only the team's key Secret, and the
 * NetworkPolicies that let the reconciler reach the gateway and the Kubernetes API. Each is a function of
 * the reconciler's plan alone; no secret passes through here (the master key reaches the pod from the
 * gateway's own Secret). Typed against `kubernetes-models`.
 */
import type { ICronJob } from "kubernetes-models/batch/v1/CronJob";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IJobSpec } from "kubernetes-models/batch/v1/JobSpec";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import type { IRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { contentDigest, DNS_EGRESS_RULE, platformLabels, RESTRICTED_CONTAINER_SECURITY } from "../common/kubernetes.js";
import { GATEWAY_ENV_SECRET, GATEWAY_PORT, GATEWAY_SELECTOR, GATEWAY_SERVICE } from "./gateway-manifests.js";
import { GATEWAY_KEY_SECRET_KEY, GATEWAY_KEY_SECRET_NAME } from "./gateway-team-secret.js";
import { GATEWAY_ENV } from "./litellm-config.js";
import { TEAM_RECONCILER_SCRIPT } from "./team-reconciler-script.js";
import type { GatewayTeamReconcilerPlan } from "./team-reconciler.js";

/** Label of the ConfigMap that holds the desired gateway teams; the policy pack reads the ConfigMaps that carry it. */
export const DESIRED_GATEWAY_TEAMS_LABEL = "mlops-platform.io/gateway-teams";
/** Key of the desired teams (JSON) in that ConfigMap. */
export const DESIRED_GATEWAY_TEAMS_KEY = "teams.json";

const RECONCILER = "ai-gateway-team-reconciler";
const TEAMS_CONFIG_MAP = "ai-gateway-teams";
const SCRIPT_KEY = "reconcile_teams.py";
const SCRIPT_DIR = "/opt/gateway-teams";
const TEAMS_DIR = "/etc/gateway-teams";
/** Name of the Role and RoleBinding in each team's namespace. */
const KEY_WRITER = "ai-gateway-key-writer";
const RECONCILER_SELECTOR = { "app.kubernetes.io/name": RECONCILER };
// The shared constant is declared with Pulumi's input types; its values are plain.
const RESTRICTED = RESTRICTED_CONTAINER_SECURITY as ISecurityContext;

function labels(): Record<string, string> {
  return platformLabels("gateway");
}

function meta(plan: GatewayTeamReconcilerPlan, name: string) {
  return { name, namespace: plan.namespace, labels: labels() };
}

/** A team as the reconciler reads it from `teams.json`. */
export interface DesiredGatewayTeam {
  name: string;
  namespace: string;
  keyAlias: string;
  models: string[];
  maxBudgetUsd?: number;
  budgetDuration?: string;
  tpmLimit?: number;
  rpmLimit?: number;
}

/** What the reconciler reads: the teams, and where each team's key goes. */
export interface DesiredGatewayTeams {
  keySecret: { name: string; key: string; labels: Record<string, string> };
  teams: DesiredGatewayTeam[];
}

/** The desired teams, as the reconciler reads them (and the policy pack checks them). */
export function desiredGatewayTeams(plan: GatewayTeamReconcilerPlan): DesiredGatewayTeams {
  return {
    keySecret: { name: GATEWAY_KEY_SECRET_NAME, key: GATEWAY_KEY_SECRET_KEY, labels: platformLabels("ai-gateway") },
    teams: plan.teams,
  };
}

/** `teams.json`: stable text, so its digest changes exactly when a team's settings do. */
export function desiredGatewayTeamsJson(plan: GatewayTeamReconcilerPlan): string {
  return `${JSON.stringify(desiredGatewayTeams(plan), null, 2)}\n`;
}

/** The desired teams, labelled for the policy pack. */
export function reconcilerTeamsConfigMap(plan: GatewayTeamReconcilerPlan): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { ...meta(plan, TEAMS_CONFIG_MAP), labels: { ...labels(), [DESIRED_GATEWAY_TEAMS_LABEL]: "desired" } },
    data: { [DESIRED_GATEWAY_TEAMS_KEY]: desiredGatewayTeamsJson(plan) },
  };
}

export function reconcilerScriptConfigMap(plan: GatewayTeamReconcilerPlan): IConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: meta(plan, RECONCILER), data: { [SCRIPT_KEY]: TEAM_RECONCILER_SCRIPT } };
}

export function reconcilerServiceAccount(plan: GatewayTeamReconcilerPlan): IServiceAccount {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(plan, RECONCILER) };
}

/**
 * In a team's namespace: the team's key Secret, and nothing else. `create` is granted by name because the
 * reconciler creates the Secret with a server-side apply (a PATCH to the Secret's own URL, which the API
 * server authorizes by name); a plain POST, a list or any other Secret is refused. No `update` (PUT): it
 * is never used.
 */
export function reconcilerRole(teamNamespace: string): IRole {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: KEY_WRITER, namespace: teamNamespace, labels: labels() },
    rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [GATEWAY_KEY_SECRET_NAME], verbs: ["get", "create", "patch"] }],
  };
}

export function reconcilerRoleBinding(plan: GatewayTeamReconcilerPlan, teamNamespace: string): IRoleBinding {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: KEY_WRITER, namespace: teamNamespace, labels: labels() },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: KEY_WRITER },
    subjects: [{ kind: "ServiceAccount", name: RECONCILER, namespace: plan.namespace }],
  };
}

/** The Job's and the CronJob's spec: one run of the script, retried a few times, never longer than 15 minutes. */
function jobSpec(plan: GatewayTeamReconcilerPlan): IJobSpec {
  return {
    backoffLimit: 3,
    // The script waits up to 5 minutes for the gateway; a run stuck longer is stopped (and the Job fails).
    activeDeadlineSeconds: 900,
    template: {
      metadata: { labels: { ...labels(), ...RECONCILER_SELECTOR } },
      spec: {
        serviceAccountName: RECONCILER,
        restartPolicy: "Never",
        securityContext: { runAsUser: 1000, runAsGroup: 1000 },
        containers: [
          {
            name: "reconcile",
            image: plan.image,
            command: ["python3", `${SCRIPT_DIR}/${SCRIPT_KEY}`],
            env: [
              { name: "GATEWAY_URL", value: `http://${GATEWAY_SERVICE}.${plan.namespace}.svc:${GATEWAY_PORT}` },
              { name: GATEWAY_ENV.masterKey, valueFrom: { secretKeyRef: { name: GATEWAY_ENV_SECRET, key: GATEWAY_ENV.masterKey } } },
              { name: "TEAMS_FILE", value: `${TEAMS_DIR}/${DESIRED_GATEWAY_TEAMS_KEY}` },
              // Read-only root filesystem: nothing to cache.
              { name: "PYTHONDONTWRITEBYTECODE", value: "1" },
            ],
            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
            securityContext: RESTRICTED,
            volumeMounts: [
              { name: "script", mountPath: SCRIPT_DIR, readOnly: true },
              { name: "teams", mountPath: TEAMS_DIR, readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: "script", configMap: { name: RECONCILER } },
          { name: "teams", configMap: { name: TEAMS_CONFIG_MAP } },
        ],
      },
    },
  };
}

/**
 * The run after a change: named by a digest of the desired teams and the script, so a change is a new Job
 * (and Pulumi waits for it to complete), while an unchanged stack keeps the finished one.
 */
export function reconcilerJob(plan: GatewayTeamReconcilerPlan): IJob {
  const digest = contentDigest(`${desiredGatewayTeamsJson(plan)}\n${TEAM_RECONCILER_SCRIPT}`);
  return { apiVersion: "batch/v1", kind: "Job", metadata: meta(plan, `ai-gateway-teams-${digest}`), spec: jobSpec(plan) };
}

/** The healing run: puts back teams and keys changed or lost outside Pulumi (a database restore, a deleted Secret). */
export function reconcilerCronJob(plan: GatewayTeamReconcilerPlan): ICronJob {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: meta(plan, "ai-gateway-teams-heal"),
    spec: {
      schedule: plan.schedule,
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels: labels() }, spec: jobSpec(plan) },
    },
  };
}

/** The reconciler's pods take no connections; they reach the gateway, DNS and the Kubernetes API. */
export function reconcilerNetworkPolicy(plan: GatewayTeamReconcilerPlan): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta(plan, RECONCILER),
    spec: {
      podSelector: { matchLabels: RECONCILER_SELECTOR },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [
        { to: [{ podSelector: { matchLabels: GATEWAY_SELECTOR } }], ports: [{ protocol: "TCP", port: GATEWAY_PORT }] },
        DNS_EGRESS_RULE,
        // The Kubernetes API is not a pod: its address depends on the cluster, its port is 443 or 6443.
        { ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] },
      ],
    },
  };
}

/**
 * Admits the reconciler to the gateway's port. NetworkPolicies add up: the gateway's own policy admits
 * the team namespaces and monitoring, this one its reconciler.
 */
export function gatewayFromReconcilerNetworkPolicy(plan: GatewayTeamReconcilerPlan): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta(plan, `${GATEWAY_SERVICE}-from-team-reconciler`),
    spec: {
      podSelector: { matchLabels: GATEWAY_SELECTOR },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: { matchLabels: RECONCILER_SELECTOR } }], ports: [{ protocol: "TCP", port: GATEWAY_PORT }] }],
    },
  };
}
