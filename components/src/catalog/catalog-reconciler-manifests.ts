/**
 * Pure builders of the objects behind the catalog reconciler: the desired state (teams, the sensitivity
 * classification, the databases to ingest) in a ConfigMap, the script in another, the service account, the
 * NetworkPolicy that lets it reach only the catalog and DNS, and the Job that runs it after every change.
 * The databases' passwords are not here: they reach the pod from a Secret the component writes.
 */
import type { ICronJob } from "kubernetes-models/batch/v1/CronJob";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IJobSpec } from "kubernetes-models/batch/v1/JobSpec";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import type { IServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { contentDigest, DNS_EGRESS_RULE, platformLabels, RESTRICTED_CONTAINER_SECURITY } from "../common/kubernetes.js";
import { CATALOG_RECONCILER_SCRIPT } from "./catalog-reconciler-script.js";
import { CATALOG_SECRETS, OPENMETADATA_PORT, OPENMETADATA_SERVICE } from "./charts.js";
import type { DataCatalogPlan } from "./data-catalog.js";

export const CATALOG_RECONCILER = "catalog-reconciler";
/** When the healing run repeats: hourly, off the full hour the ingestion runs at. */
export const CATALOG_HEAL_SCHEDULE = "30 * * * *";
/** The ConfigMap of the desired state and the Secret of the sources' credentials. */
export const CATALOG_DESIRED_CONFIG_MAP = "catalog-desired";
export const CATALOG_SOURCES_SECRET = "catalog-ingestion-sources";
const SCRIPT_KEY = "reconcile_catalog.py";
const SCRIPT_DIR = "/opt/catalog-reconciler";
const DESIRED_DIR = "/etc/catalog";
const SOURCES_DIR = "/etc/catalog-sources";
const SELECTOR = { "app.kubernetes.io/name": CATALOG_RECONCILER };
/** The server's pods, as the OpenMetadata chart labels them. */
export const OPENMETADATA_SELECTOR = { "app.kubernetes.io/name": "openmetadata" };
const RESTRICTED = RESTRICTED_CONTAINER_SECURITY as ISecurityContext;

/**
 * The levels every dataset is classified with: the same as the catalog database's
 * `platform.sensitivity_levels`, so SQL and the catalog speak one vocabulary.
 */
export const SENSITIVITY_LEVELS = [
  { name: "Public", description: "May be published outside the company." },
  { name: "Internal", description: "Any employee may read it." },
  { name: "Confidential", description: "Only the owning team and those it grants; may hold personal data (PII)." },
  { name: "Restricted", description: "Named people only; regulated or sensitive personal data." },
] as const;

/** What the reconciler reads: teams, the classification and the databases to ingest (no password). */
export interface DesiredCatalog {
  teams: Array<{ name: string; displayName: string; description: string }>;
  classification: { name: string; description: string; tags: Array<{ name: string; description: string }> };
  services: Array<{ name: string; owner: string; hostPort: string; database: string; description: string; schedule: string }>;
}

export function desiredCatalog(plan: DataCatalogPlan): DesiredCatalog {
  return {
    teams: plan.teams.map((team) => ({
      name: team.name,
      displayName: team.name,
      description: `Team ${team.name} of the ML platform (groups: ${team.groups.join(", ")}). Owns the datasets it registers.`,
    })),
    classification: {
      name: "Sensitivity",
      description: "How sensitive a dataset is; confidential and restricted data may hold personal data (PII).",
      tags: SENSITIVITY_LEVELS.map((level) => ({ ...level })),
    },
    services: plan.sources.map((source) => ({
      name: source.name,
      owner: source.ownerTeam,
      hostPort: `${source.host}:${source.port}`,
      database: source.database,
      description: source.description,
      schedule: source.schedule,
    })),
  };
}

/** `desired.json`: stable text, so its digest changes exactly when the desired state does. */
export function desiredCatalogJson(plan: DataCatalogPlan): string {
  return `${JSON.stringify(desiredCatalog(plan), null, 2)}\n`;
}

function meta(plan: DataCatalogPlan, name: string) {
  return { name, namespace: plan.namespace, labels: platformLabels("catalog") };
}

export function catalogDesiredConfigMap(plan: DataCatalogPlan): IConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: meta(plan, CATALOG_DESIRED_CONFIG_MAP), data: { "desired.json": desiredCatalogJson(plan) } };
}

export function catalogScriptConfigMap(plan: DataCatalogPlan): IConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: meta(plan, CATALOG_RECONCILER), data: { [SCRIPT_KEY]: CATALOG_RECONCILER_SCRIPT } };
}

/** It calls OpenMetadata's API only: no Kubernetes API access, so no token either. */
export function catalogReconcilerServiceAccount(plan: DataCatalogPlan): IServiceAccount {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(plan, CATALOG_RECONCILER), automountServiceAccountToken: false };
}

/** The Job's and the CronJob's spec: one run of the script, retried a few times. */
function jobSpec(plan: DataCatalogPlan): IJobSpec {
  return {
    backoffLimit: 3,
    activeDeadlineSeconds: 1800,
    template: {
      metadata: { labels: { ...platformLabels("catalog"), ...SELECTOR } },
      spec: {
        serviceAccountName: CATALOG_RECONCILER,
        automountServiceAccountToken: false,
        restartPolicy: "Never",
        securityContext: { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true },
        containers: [
          {
            name: "reconcile",
            image: plan.ingestionImage,
            command: ["python3", `${SCRIPT_DIR}/${SCRIPT_KEY}`],
            env: [
              { name: "OPENMETADATA_URL", value: `http://${OPENMETADATA_SERVICE}.${plan.namespace}.svc:${OPENMETADATA_PORT}` },
              { name: "OPENMETADATA_ADMIN_PASSWORD", valueFrom: { secretKeyRef: { name: CATALOG_SECRETS.admin, key: "password" } } },
              { name: "DESIRED_FILE", value: `${DESIRED_DIR}/desired.json` },
              { name: "SOURCES_FILE", value: `${SOURCES_DIR}/sources.json` },
              { name: "PYTHONDONTWRITEBYTECODE", value: "1" },
            ],
            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
            securityContext: RESTRICTED,
            volumeMounts: [
              { name: "script", mountPath: SCRIPT_DIR, readOnly: true },
              { name: "desired", mountPath: DESIRED_DIR, readOnly: true },
              { name: "sources", mountPath: SOURCES_DIR, readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: "script", configMap: { name: CATALOG_RECONCILER } },
          { name: "desired", configMap: { name: CATALOG_DESIRED_CONFIG_MAP } },
          { name: "sources", secret: { secretName: CATALOG_SOURCES_SECRET } },
        ],
      },
    },
  };
}

/**
 * The run after a change, named by a digest of the desired state and the script: a change is a new Job
 * (Pulumi waits for it), an unchanged stack keeps the finished one. It waits up to ten minutes for
 * OpenMetadata (its first start runs the database migrations), then retries a few times.
 */
export function catalogReconcilerJob(plan: DataCatalogPlan): IJob {
  const digest = contentDigest(`${desiredCatalogJson(plan)}\n${CATALOG_RECONCILER_SCRIPT}`);
  return { apiVersion: "batch/v1", kind: "Job", metadata: meta(plan, `catalog-teams-${digest}`), spec: jobSpec(plan) };
}

/**
 * The healing run, hourly: puts back what changed outside the stack, such as teams missing after the
 * catalog's database was restored to a moment before they were created, or a service deleted in the UI.
 */
export function catalogReconcilerCronJob(plan: DataCatalogPlan): ICronJob {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: meta(plan, "catalog-teams-heal"),
    spec: {
      schedule: CATALOG_HEAL_SCHEDULE,
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: { metadata: { labels: platformLabels("catalog") }, spec: jobSpec(plan) },
    },
  };
}

/** The reconciler takes no connections; it reaches OpenMetadata's API and DNS, nothing else. */
export function catalogReconcilerNetworkPolicy(plan: DataCatalogPlan): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta(plan, CATALOG_RECONCILER),
    spec: {
      podSelector: { matchLabels: SELECTOR },
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [
        { to: [{ podSelector: { matchLabels: OPENMETADATA_SELECTOR } }], ports: [{ protocol: "TCP", port: OPENMETADATA_PORT }] },
        DNS_EGRESS_RULE,
      ],
    },
  };
}
