/**
 * Alertmanager's configuration as a stack file makes it (the platform's receivers, a team's own), checked
 * and routed by the real amtool: each team gets its own alerts, everything else reaches the platform's
 * receivers by severity, and the Watchdog reaches no one.
 */
import { describe, expect, it } from "vitest";
import { AlertSeverity, type AlertReceiverArgs } from "@mlops-platform/components";
import { alertmanagerConfigYaml } from "@mlops-platform/components/internal";
import { parsePlatformConfig } from "../../../infra/config.js";
import { monitoringArgs } from "../../../infra/capabilities/monitoring.js";
import { FILE } from "../../infra/config-helpers.js";
import { requireAmtool, runPromtool as runTool } from "./promtool.js";

const SECRETS: Record<string, string> = {
  monitoringSlackWebhookUrl: "https://hooks.slack.example/services/T0/B0/platform",
  monitoringPagerDutyRoutingKey: "platform-routing-key",
  monitoringCriticalWebhookUrl: "https://oncall.example/alertmanager",
  visionSlackWebhookUrl: "https://hooks.slack.example/services/T0/B1/vision",
  visionPagerDutyKey: "vision-routing-key",
};

/** A stack with two teams, one of which has receivers of its own: one teamReceivers entry. */
function stackReceivers(): AlertReceiverArgs[] {
  const config = parsePlatformConfig(
    {
      environment: "dev",
      cluster: { provider: "kind" },
      teams: [
        { name: "vision", owners: ["vision-leads"], quota: { cpu: 8, memoryGiB: 32, storageGiB: 100 } },
        { name: "speech", owners: ["speech-leads"], quota: { cpu: 8, memoryGiB: 32, storageGiB: 100 } },
      ],
      monitoring: { teamReceivers: { vision: { slackWebhookUrl: "visionSlackWebhookUrl", pagerDutyRoutingKey: "visionPagerDutyKey" } } },
      ...SECRETS,
    },
    FILE,
    new Set(Object.keys(SECRETS)),
  );
  return monitoringArgs(config, SECRETS)?.alertReceivers ?? [];
}

/** The configuration Alertmanager gets, from the receivers the stack makes (their secrets resolved). */
function configYaml(): string {
  return alertmanagerConfigYaml(
    stackReceivers().map((receiver) => ({
      name: receiver.name,
      kind: receiver.kind,
      ...(receiver.url !== undefined ? { url: receiver.url as string } : {}),
      ...(receiver.routingKey !== undefined ? { routingKey: receiver.routingKey as string } : {}),
      ...(receiver.team !== undefined ? { team: receiver.team } : {}),
      minSeverity: receiver.minSeverity ?? AlertSeverity.Warning,
    })),
  );
}

describe("alert receivers from a stack file", () => {
  it("are the platform's three by their secret keys, and one per key of a team's entry", () => {
    expect(stackReceivers().map((receiver) => [receiver.name, receiver.kind, receiver.team ?? "platform", receiver.minSeverity])).toEqual([
      ["slack", "slack", "platform", "warning"],
      ["pagerduty", "pagerduty", "platform", "critical"],
      ["critical-webhook", "webhook", "platform", "critical"],
      ["team-vision-slack", "slack", "vision", "warning"],
      ["team-vision-pagerduty", "pagerduty", "vision", "critical"],
    ]);
  });

  it("are refused for a team the stack does not have, and their keys must be secrets", () => {
    const raw = { environment: "dev", cluster: { provider: "kind" }, monitoring: { teamReceivers: { nlp: { slackWebhookUrl: "nlpSlack" } } }, nlpSlack: "https://hooks.slack.example/x" };
    expect(() => parsePlatformConfig(raw, FILE, new Set())).toThrow(/mlops-platform:nlpSlack: must be a secret \(a Slack incoming-webhook URL for team nlp's alerts/);
    expect(() => parsePlatformConfig(raw, FILE, new Set(["nlpSlack"]))).toThrow(/mlops-platform:monitoring\.teamReceivers\.nlp: name a team of teams: \(none\)/);
  });
});

const amtool = requireAmtool();

describe.skipIf(!amtool)("Alertmanager's configuration in the real amtool", () => {
  const routes = (labels: string[]) => {
    const result = runTool(amtool!, { "alertmanager.yaml": configYaml() }, ["config", "routes", "test", "--config.file=alertmanager.yaml", ...labels]);
    expect(result.ok, result.output).toBe(true);
    return result.output.trim().split(",").sort();
  };

  it("is a configuration Alertmanager loads", () => {
    const result = runTool(amtool!, { "alertmanager.yaml": configYaml() }, ["check-config", "alertmanager.yaml"]);
    expect(result.output).toContain("SUCCESS");
    expect(result.output).toMatch(/- 6 receivers/);
    expect(result.ok, result.output).toBe(true);
  });

  it("sends a team's warnings to its Slack and its critical alerts to its Slack and PagerDuty, not to the platform's", () => {
    expect(routes(["alertname=NotebookGpuIdle", "team=vision", "severity=warning"])).toEqual(["team-vision-slack"]);
    expect(routes(["alertname=GatewayTeamBudgetExhausted", "team=vision", "severity=critical"])).toEqual(["team-vision-pagerduty", "team-vision-slack"]);
  });

  it("sends the alerts of a team without receivers, and of no team, to the platform's receivers by severity", () => {
    expect(routes(["alertname=TrainingJobFailed", "team=speech", "severity=warning"])).toEqual(["slack"]);
    expect(routes(["alertname=PostgresInstanceDown", "severity=critical"])).toEqual(["critical-webhook", "pagerduty", "slack"]);
  });

  it("sends the Watchdog to no one", () => {
    expect(routes(["alertname=Watchdog", "severity=none"])).toEqual(["null"]);
  });
});
