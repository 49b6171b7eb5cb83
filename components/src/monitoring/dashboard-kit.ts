/**
 * The few shapes every platform dashboard is made of, on top of Grafana's typed builders
 * (`@grafana/grafana-foundation-sdk`): a Prometheus datasource picked by variable, time series and stat
 * panels with one query each or more, and label variables. Dashboards stay data (the SDK's `Dashboard`),
 * so tests read their queries back and promtool checks them.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import {
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type Dashboard,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatPanelBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesPanelBuilder } from "@grafana/grafana-foundation-sdk/timeseries";

export type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";

/** The variable holding the Prometheus datasource: every panel queries `${datasource}`. */
const DATASOURCE_VARIABLE = "datasource";
const DATASOURCE = { type: "prometheus", uid: `\${${DATASOURCE_VARIABLE}}` };

/** One query of a panel: PromQL and the legend of each series it returns. */
export interface PanelQuery {
  expr: string;
  legend: string;
}

/** A panel: a title, what it shows, its unit (Grafana's unit ids: `percent`, `currencyUSD`, `s`, ...). */
export interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  queries: PanelQuery[];
  /** Grid width out of 24. */
  width?: number;
}

function targets(queries: readonly PanelQuery[]): cog.Builder<cog.Dataquery>[] {
  return queries.map((query, index) =>
    new DataqueryBuilder()
      .expr(query.expr)
      .legendFormat(query.legend)
      .refId(String.fromCharCode(65 + index)),
  );
}

/** A time series panel. */
export function timeseries(spec: PanelSpec): TimeseriesPanelBuilder {
  return new TimeseriesPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? 12)
    .height(8)
    .targets(targets(spec.queries));
}

/** A single-number panel, green until `warnAt` when given. */
export function stat(spec: PanelSpec & { warnAt?: number }): StatPanelBuilder {
  const panel = new StatPanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? 6)
    .height(4)
    .targets(targets(spec.queries));
  if (spec.warnAt !== undefined) {
    panel.thresholds(
      new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
        { value: null, color: "green" },
        { value: spec.warnAt, color: "orange" },
      ]),
    );
  }
  return panel;
}

/** A variable over a label's values in a metric (`label_values(metric, label)`), "All" included. */
export function labelVariable(name: string, label: string, metric: string): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query({ query: `label_values(${metric}, ${label})`, refId: "PrometheusVariableQueryEditor-VariableQuery" })
    .definition(`label_values(${metric}, ${label})`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(".*");
}

/**
 * The `team` variable: team names read from the team namespaces' quotas (`team-<name>`), "All" included.
 * Panels filter namespaces with `namespace=~"team-$team"` (TEAM_NAMESPACE) and the gateway's teams with
 * `team_alias=~"$team"`.
 */
export function teamVariable(quotaMetric: string): QueryVariableBuilder {
  return labelVariable("team", "namespace", `${quotaMetric}{namespace=~"team-.+"}`)
    .label("team")
    .regex("/^team-(.+)$/");
}

/** The team namespaces the `team` variable selects. */
export const TEAM_NAMESPACE = 'namespace=~"team-$team"';

/** What a platform dashboard is: an id, a title, a line on what it answers, and rows of panels. */
export interface DashboardSpec {
  /** Grafana uid, stable across deployments (links and bookmarks keep working). */
  uid: string;
  title: string;
  description: string;
  variables?: QueryVariableBuilder[];
  rows: Array<{ title: string; panels: Array<TimeseriesPanelBuilder | StatPanelBuilder> }>;
}

/** Every platform dashboard carries this tag, so Grafana lists them together. */
export const DASHBOARD_TAG = "mlops-platform";

export function buildDashboard(spec: DashboardSpec): Dashboard {
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([DASHBOARD_TAG])
    .refresh("1m")
    .time({ from: "now-6h", to: "now" })
    .timezone("browser")
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly()
    .withVariable(new DatasourceVariableBuilder(DATASOURCE_VARIABLE).label("Data source").type("prometheus"));
  for (const variable of spec.variables ?? []) builder.withVariable(variable);
  for (const row of spec.rows) {
    builder.withRow(new RowBuilder(row.title));
    for (const panel of row.panels) builder.withPanel(panel);
  }
  return builder.build();
}

/** Every PromQL expression a dashboard's panels run, in panel order. */
export function dashboardQueries(dashboard: Dashboard): string[] {
  return (dashboard.panels ?? []).flatMap((panel) =>
    "targets" in panel && Array.isArray(panel.targets) ? panel.targets.map((target) => String((target as { expr?: unknown }).expr ?? "")) : [],
  );
}
