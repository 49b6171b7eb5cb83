/**
 * The platform's Grafana dashboards for what runs on it: GPUs, the AI gateway, notebooks and training, and
 * its PostgreSQL databases. Each reads only metrics of the catalog (`metrics.ts`).
 */
import { buildDashboard, labelVariable, stat, TEAM_NAMESPACE, teamVariable, timeseries, type Dashboard } from "./dashboard-kit.js";
import { CLOUDNATIVE_PG, DCGM, KUBE_STATE_METRICS, KUEUE, LITELLM, NOTEBOOK_CONTROLLER } from "./metrics.js";

const { metrics: dcgm } = DCGM;
const { metrics: litellm } = LITELLM;
const { metrics: ksm } = KUBE_STATE_METRICS;
const { metrics: cnpg } = CLOUDNATIVE_PG;

/** kube-state-metrics spells the extended resource `nvidia.com/gpu` this way. */
const KSM_GPU_RESOURCE = "nvidia_com_gpu";

/** GPUs the running pods of the selected team namespaces hold, per namespace. */
const RUNNING_GPUS = `sum by (namespace) (${ksm.containerRequests.name}{resource="${KSM_GPU_RESOURCE}", ${TEAM_NAMESPACE}} * on (namespace, pod) group_left () (${ksm.podPhase.name}{phase="Running"} == 1))`;

/** Notebook pods (the controller labels them `notebook-name`) whose GPU has been below 5% utilization. */
const IDLE_NOTEBOOK_GPUS = `max by (namespace, pod) (${dcgm.gpuUtil.name}{${TEAM_NAMESPACE}, pod!=""}) < 5 and on (namespace, pod) max by (namespace, pod, label_notebook_name) (${ksm.podLabels.name}{label_notebook_name!=""})`;

export function gpuDashboard(): Dashboard {
  const byGpu = "Hostname, gpu";
  return buildDashboard({
    uid: "mlp-gpus",
    title: "ML platform / GPUs",
    description: "Are the GPUs busy, healthy, and used by the teams that hold them?",
    variables: [teamVariable(ksm.resourceQuota.name)],
    rows: [
      {
        title: "Fleet",
        panels: [
          stat({ title: "GPUs reporting", description: "GPUs the DCGM exporter reports.", unit: "none", queries: [{ expr: `count(${dcgm.gpuUtil.name})`, legend: "GPUs" }] }),
          stat({ title: "Average utilization", description: "Across every GPU.", unit: "percent", queries: [{ expr: `avg(${dcgm.gpuUtil.name})`, legend: "utilization" }] }),
          stat({
            title: "Allocated but idle",
            description: "GPUs held by a pod and below 5% utilization: paid for, not computing.",
            unit: "none",
            warnAt: 1,
            queries: [{ expr: `count(max by (namespace, pod) (${dcgm.gpuUtil.name}{pod!=""}) < 5) or vector(0)`, legend: "idle GPUs" }],
          }),
          stat({
            title: "GPUs with XID errors",
            description: "GPUs whose driver reported a fault.",
            unit: "none",
            warnAt: 1,
            queries: [{ expr: `count(${dcgm.xidErrors.name} > 0) or vector(0)`, legend: "GPUs" }],
          }),
        ],
      },
      {
        title: "Per GPU",
        panels: [
          timeseries({ title: "Utilization", description: "Share of time a kernel ran.", unit: "percent", queries: [{ expr: `avg by (${byGpu}) (${dcgm.gpuUtil.name})`, legend: "{{Hostname}} GPU {{gpu}}" }] }),
          timeseries({
            title: "Memory used",
            description: "Framebuffer in use.",
            unit: "percentunit",
            queries: [{ expr: `max by (${byGpu}) (${dcgm.fbUsed.name} / (${dcgm.fbUsed.name} + ${dcgm.fbFree.name}))`, legend: "{{Hostname}} GPU {{gpu}}" }],
          }),
          timeseries({ title: "Temperature", description: "Throttling starts around 85°C.", unit: "celsius", queries: [{ expr: `max by (${byGpu}) (${dcgm.gpuTemp.name})`, legend: "{{Hostname}} GPU {{gpu}}" }] }),
          timeseries({ title: "Power", description: "Power draw.", unit: "watt", queries: [{ expr: `max by (${byGpu}) (${dcgm.powerUsage.name})`, legend: "{{Hostname}} GPU {{gpu}}" }] }),
        ],
      },
      {
        title: "Per team",
        panels: [
          timeseries({
            title: "GPUs requested",
            description: "GPUs the pods of each namespace request.",
            unit: "none",
            queries: [{ expr: `sum by (namespace) (${ksm.containerRequests.name}{resource="${KSM_GPU_RESOURCE}", ${TEAM_NAMESPACE}})`, legend: "{{namespace}}" }],
          }),
          timeseries({
            title: "Utilization of held GPUs",
            description: "How much of the GPUs a namespace holds it uses (graphics engine active).",
            unit: "percentunit",
            queries: [{ expr: `avg by (namespace) (${dcgm.graphicsEngineActive.name}{${TEAM_NAMESPACE}})`, legend: "{{namespace}}" }],
          }),
        ],
      },
    ],
  });
}

export function gatewayDashboard(): Dashboard {
  return buildDashboard({
    uid: "mlp-gateway",
    title: "ML platform / AI gateway",
    description: "Traffic, errors, latency and spend of the LiteLLM gateway, per model and per team.",
    variables: [labelVariable("team", "team_alias", litellm.teamMaxBudget.name)],
    rows: [
      {
        title: "Traffic",
        panels: [
          timeseries({ title: "Requests", description: "Successful LLM calls per second.", unit: "reqps", queries: [{ expr: `sum by (model) (rate(${litellm.requests.name}[$__rate_interval]))`, legend: "{{model}}" }] }),
          timeseries({
            title: "Failed requests",
            description: "Share of requests the gateway answered with an error.",
            unit: "percentunit",
            queries: [{ expr: `sum(rate(${litellm.proxyFailedRequests.name}[$__rate_interval])) / sum(rate(${litellm.proxyTotalRequests.name}[$__rate_interval]))`, legend: "failed" }],
          }),
          timeseries({
            title: "Latency (p95)",
            description: "End to end, and until the first streamed token.",
            unit: "s",
            queries: [
              { expr: `histogram_quantile(0.95, sum by (le, model) (rate(${litellm.totalLatency.name}_bucket[$__rate_interval])))`, legend: "{{model}} total" },
              { expr: `histogram_quantile(0.95, sum by (le, model) (rate(${litellm.timeToFirstToken.name}_bucket[$__rate_interval])))`, legend: "{{model}} first token" },
            ],
          }),
          timeseries({
            title: "Provider health",
            description: "0 healthy, 1 partial outage, 2 down.",
            unit: "none",
            queries: [{ expr: `max by (litellm_model_name, api_provider) (${litellm.deploymentState.name})`, legend: "{{litellm_model_name}} ({{api_provider}})" }],
          }),
          timeseries({
            title: "Fallbacks",
            description: "Requests answered, or not, by a fallback model.",
            unit: "reqps",
            queries: [
              { expr: `sum by (requested_model) (rate(${litellm.successfulFallbacks.name}[$__rate_interval]))`, legend: "{{requested_model}} rescued" },
              { expr: `sum by (requested_model) (rate(${litellm.failedFallbacks.name}[$__rate_interval]))`, legend: "{{requested_model}} failed" },
            ],
          }),
          timeseries({
            title: "Cache hit ratio",
            description: "Share of cacheable requests answered from the response cache (no provider call, no spend).",
            unit: "percentunit",
            queries: [
              {
                expr: `sum by (model) (rate(${litellm.cacheHits.name}[$__rate_interval])) / (sum by (model) (rate(${litellm.cacheHits.name}[$__rate_interval])) + sum by (model) (rate(${litellm.cacheMisses.name}[$__rate_interval])))`,
                legend: "{{model}}",
              },
            ],
          }),
        ],
      },
      {
        title: "Teams",
        panels: [
          timeseries({ title: "Tokens", description: "Tokens per second, per team.", unit: "short", queries: [{ expr: `sum by (team_alias) (rate(${litellm.totalTokens.name}{team_alias=~"$team"}[$__rate_interval]))`, legend: "{{team_alias}}" }] }),
          timeseries({ title: "Spend per day", description: "USD spent through the gateway in the last 24 hours.", unit: "currencyUSD", queries: [{ expr: `sum by (team_alias) (increase(${litellm.spend.name}{team_alias=~"$team"}[1d]))`, legend: "{{team_alias}}" }] }),
          timeseries({
            title: "Budget left",
            description: "Share of each team's gateway budget still available this period.",
            unit: "percentunit",
            queries: [{ expr: `max by (team_alias) (${litellm.remainingTeamBudget.name}{team_alias=~"$team"}) / max by (team_alias) (${litellm.teamMaxBudget.name}{team_alias=~"$team"} > 0)`, legend: "{{team_alias}}" }],
          }),
        ],
      },
    ],
  });
}

/** Notebooks, training jobs, and training queues when Kueue runs. */
export function workloadsDashboard(input: { notebooks: boolean; training: boolean; kueue: boolean }): Dashboard {
  const notebooks = NOTEBOOK_CONTROLLER.metrics;
  const jobSet = `on (namespace, job_name) group_left () max by (namespace, job_name) (${ksm.jobOwner.name}{owner_kind="JobSet"})`;
  return buildDashboard({
    uid: "mlp-workloads",
    title: "ML platform / Notebooks and training",
    description: "Who runs what: notebooks per team (running, stopped, idle on a GPU), training jobs by state, GPU hours and quotas used, and training jobs waiting for GPUs.",
    variables: [teamVariable(ksm.resourceQuota.name)],
    rows: [
      ...(input.notebooks
        ? [
            {
              title: "Notebooks",
              panels: [
                timeseries({ title: "Running notebooks", description: "Per team namespace.", unit: "none", queries: [{ expr: `sum by (namespace) (${notebooks.running.name}{${TEAM_NAMESPACE}})`, legend: "{{namespace}}" }] }),
                timeseries({
                  title: "Notebook starts",
                  description: "Created and failed per hour.",
                  unit: "none",
                  queries: [
                    { expr: `sum by (namespace) (increase(${notebooks.created.name}{${TEAM_NAMESPACE}}[1h]))`, legend: "{{namespace}} created" },
                    { expr: `sum by (namespace) (increase(${notebooks.createFailed.name}{${TEAM_NAMESPACE}}[1h]))`, legend: "{{namespace}} failed" },
                  ],
                }),
                timeseries({
                  title: "Stopped notebooks",
                  description:
                    "Notebooks scaled to zero: culled after their idle time, or stopped by their owner. (The controller's own culling counters are declared but never collected upstream, so this counts notebook StatefulSets at 0 replicas.)",
                  unit: "none",
                  queries: [{ expr: `count by (namespace) (${ksm.statefulSetReplicas.name}{${TEAM_NAMESPACE}} == 0)`, legend: "{{namespace}}" }],
                }),
                timeseries({
                  title: "Idle notebooks holding GPUs",
                  description: "Notebook pods whose GPU is below 5% utilization: the GPU is paid for and kept from others.",
                  unit: "none",
                  queries: [{ expr: `count by (namespace) (${IDLE_NOTEBOOK_GPUS})`, legend: "{{namespace}}" }],
                }),
              ],
            },
          ]
        : []),
      {
        title: "Training and quotas",
        panels: [
          ...(input.training
            ? [
                timeseries({
                  title: "Training jobs by state",
                  description: "Jobs of TrainJobs (their JobSets) per team: running, succeeded and failed.",
                  unit: "none",
                  queries: [
                    { expr: `count by (namespace) ((${ksm.jobActive.name}{${TEAM_NAMESPACE}} > 0) * ${jobSet})`, legend: "{{namespace}} running" },
                    { expr: `count by (namespace) ((${ksm.jobSucceeded.name}{${TEAM_NAMESPACE}} > 0) * ${jobSet})`, legend: "{{namespace}} succeeded" },
                    { expr: `count by (namespace) ((${ksm.jobFailed.name}{${TEAM_NAMESPACE}, condition="true"} == 1) * ${jobSet})`, legend: "{{namespace}} failed" },
                  ],
                }),
              ]
            : []),
          timeseries({
            title: "GPU hours per team (last day)",
            description: "GPUs held by the team's running pods (notebooks and training), summed hour by hour over the last 24 hours.",
            unit: "none",
            queries: [{ expr: `sum_over_time(${RUNNING_GPUS}[1d:1h])`, legend: "{{namespace}}" }],
          }),
          timeseries({
            title: "GPU quota used",
            description: "GPU requests against each namespace's ResourceQuota.",
            unit: "percentunit",
            queries: [
              {
                expr: `sum by (namespace) (${ksm.resourceQuota.name}{resource="requests.nvidia.com/gpu", type="used", ${TEAM_NAMESPACE}}) / sum by (namespace) (${ksm.resourceQuota.name}{resource="requests.nvidia.com/gpu", type="hard", ${TEAM_NAMESPACE}} > 0)`,
                legend: "{{namespace}}",
              },
            ],
          }),
          timeseries({
            title: "CPU quota used",
            description: "CPU requests against each namespace's ResourceQuota.",
            unit: "percentunit",
            queries: [
              {
                expr: `sum by (namespace) (${ksm.resourceQuota.name}{resource="requests.cpu", type="used", ${TEAM_NAMESPACE}}) / sum by (namespace) (${ksm.resourceQuota.name}{resource="requests.cpu", type="hard", ${TEAM_NAMESPACE}} > 0)`,
                legend: "{{namespace}}",
              },
            ],
          }),
        ],
      },
      ...(input.kueue
        ? [
            {
              title: "Training queues",
              panels: [
                timeseries({
                  title: "Waiting training jobs",
                  description: "Pending workloads per team queue; inadmissible ones can never start as they are.",
                  unit: "none",
                  queries: [{ expr: `sum by (cluster_queue, status) (${KUEUE.metrics.pendingWorkloads.name}{cluster_queue=~"team-$team"})`, legend: "{{cluster_queue}} {{status}}" }],
                }),
                timeseries({
                  title: "Wait for admission (p90)",
                  description: "How long jobs wait for their GPUs.",
                  unit: "s",
                  queries: [
                    {
                      expr: `histogram_quantile(0.9, sum by (le, cluster_queue) (rate(${KUEUE.metrics.admissionWait.name}_bucket{cluster_queue=~"team-$team"}[$__rate_interval])))`,
                      legend: "{{cluster_queue}}",
                    },
                  ],
                }),
              ],
            },
          ]
        : []),
    ],
  });
}

export function databaseDashboard(): Dashboard {
  return buildDashboard({
    uid: "mlp-databases",
    title: "ML platform / Databases",
    description: "The platform's PostgreSQL clusters (CloudNativePG): up, replicated, backed up.",
    variables: [labelVariable("namespace", "namespace", cnpg.collectorUp.name)],
    rows: [
      {
        title: "Health",
        panels: [
          timeseries({ title: "Instances up", description: "1 when PostgreSQL answers its instance manager.", unit: "none", queries: [{ expr: `max by (namespace, pod) (${cnpg.collectorUp.name}{namespace=~"$namespace"})`, legend: "{{pod}}" }] }),
          timeseries({ title: "Replication lag", description: "How far each replica is behind.", unit: "s", queries: [{ expr: `max by (namespace, pod) (${cnpg.replicationLag.name}{namespace=~"$namespace"})`, legend: "{{pod}}" }] }),
          timeseries({ title: "Connections", description: "Open connections per database.", unit: "none", queries: [{ expr: `sum by (namespace, datname) (${cnpg.backends.name}{namespace=~"$namespace"})`, legend: "{{namespace}}/{{datname}}" }] }),
          timeseries({ title: "Size", description: "Size of each database.", unit: "bytes", queries: [{ expr: `max by (namespace, datname) (${cnpg.databaseSize.name}{namespace=~"$namespace"})`, legend: "{{namespace}}/{{datname}}" }] }),
        ],
      },
      {
        title: "Backups",
        panels: [
          stat({
            title: "Newest base backup",
            description: "Age of the newest base backup in the object store; daily backups keep it under a day.",
            unit: "s",
            warnAt: 26 * 3600,
            queries: [{ expr: `time() - max by (namespace) (${cnpg.lastBackup.name}{namespace=~"$namespace"})`, legend: "{{namespace}}" }],
          }),
        ],
      },
    ],
  });
}
