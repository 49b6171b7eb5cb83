import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { isDnsLabel, isPinnedImage } from "../common/kubernetes.js";
import { cronScheduleProblem } from "../database/cron.js";
import { LITELLM_IMAGE } from "./ai-gateway.js";
import { defaultKeyAlias } from "./gateway-team.js";
import { teamSettingsProblems } from "./litellm-admin.js";
import {
  gatewayFromReconcilerNetworkPolicy,
  reconcilerCronJob,
  reconcilerJob,
  reconcilerNetworkPolicy,
  reconcilerRole,
  reconcilerRoleBinding,
  reconcilerScriptConfigMap,
  reconcilerServiceAccount,
  reconcilerTeamsConfigMap,
  type DesiredGatewayTeam,
} from "./team-reconciler-manifests.js";

/** How often the healing run repeats by default: every 15 minutes. */
export const DEFAULT_TEAM_RECONCILE_SCHEDULE = "*/15 * * * *";
/** The budget period of a team with a budget and no period of its own. */
export const DEFAULT_TEAM_BUDGET_DURATION = "30d";

/** A team the reconciler keeps on the gateway, with its key in the team's namespace. */
export interface GatewayTeamReconcilerTeamArgs {
  /** The team's name on the gateway (`team_alias`), a DNS label; its key's alias is `mlops-platform/<name>`. */
  name: string;
  /** The team's namespace: its key goes into the Secret `ai-gateway-key` there, under `api-key`. */
  namespace: string;
  /**
   * Model names (the gateway's `model_name`s) the team may call.
   * @default [] (every model on the gateway)
   */
  models?: string[];
  /**
   * Spend cap in US dollars per budget period.
   * @default none (no cap)
   */
  maxBudgetUsd?: number;
  /**
   * How often the spend resets: a count and a unit (`s`, `m`, `h`, `d`, `w`, `mo`).
   * @default "30d" when `maxBudgetUsd` is set, else none
   */
  budgetDuration?: string;
  /**
   * Tokens per minute for the whole team.
   * @default none (no limit)
   */
  tpmLimit?: number;
  /**
   * Requests per minute for the whole team.
   * @default none (no limit)
   */
  rpmLimit?: number;
}

/** The gateway whose teams these are, the teams, and how the reconciler runs. */
export interface GatewayTeamReconcilerArgs {
  /**
   * Namespace of the AiGateway whose teams these are: the reconciler runs there, calls the gateway's
   * Service and reads the master key from the gateway's Secret.
   */
  namespace: string;
  /**
   * Every team the gateway should have. A team the reconciler created and that is no longer listed is
   * deleted from the gateway, and its keys with it.
   */
  teams: GatewayTeamReconcilerTeamArgs[];
  /**
   * Image the reconciler (a Python 3 script, standard library only) runs in.
   * @default LITELLM_IMAGE, the gateway's own
   */
  image?: string;
  /**
   * When the healing run repeats, in crontab's five fields (or `@hourly`, ...).
   * @default every 15 minutes
   */
  schedule?: string;
}

/** GatewayTeamReconciler args with defaults applied, as plain values. */
export interface GatewayTeamReconcilerPlan {
  namespace: string;
  image: string;
  schedule: string;
  teams: DesiredGatewayTeam[];
}

const COMPONENT = "GatewayTeamReconciler";
const CRONJOB_DESCRIPTORS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/** What is wrong with a CronJob schedule (crontab's five fields), or undefined. */
function crontabProblem(schedule: string): string | undefined {
  if (CRONJOB_DESCRIPTORS.includes(schedule.trim())) return undefined;
  const fields = schedule.trim().split(/\s+/).filter((field) => field !== "");
  if (fields.length !== 5) return `use crontab's five fields (minute hour day-of-month month day-of-week), e.g. "${DEFAULT_TEAM_RECONCILE_SCHEDULE}"`;
  // The backup schedule's check reads six fields, seconds first.
  const problem = cronScheduleProblem(`0 ${fields.join(" ")}`);
  return problem === undefined ? undefined : `use crontab's five fields: ${problem}`;
}

/**
 * Validates GatewayTeamReconciler args and applies their defaults; throws `InputPropertyError`
 * (`InputPropertiesError` for several) naming each property and the fix.
 */
export function planGatewayTeamReconciler(name: string, args: GatewayTeamReconcilerArgs): GatewayTeamReconcilerPlan {
  const problems = argumentProblems(COMPONENT, name);
  if (!isDnsLabel(args.namespace)) problems.add("namespace", args.namespace, "use the gateway's namespace name");
  const seen = new Set<string>();
  const teams = args.teams.map((team, i): DesiredGatewayTeam => {
    // The name is the team's alias on the gateway and part of its key's alias.
    if (!isDnsLabel(team.name)) problems.add(`teams[${i}].name`, team.name, "use a DNS label (lower-case letters, digits and '-')");
    else if (seen.has(team.name)) problems.add(`teams[${i}].name`, team.name, "list each team once");
    seen.add(team.name);
    if (!isDnsLabel(team.namespace)) problems.add(`teams[${i}].namespace`, team.namespace, "use the team's namespace name");
    const budgetDuration = team.budgetDuration ?? (team.maxBudgetUsd !== undefined ? DEFAULT_TEAM_BUDGET_DURATION : undefined);
    const settings = {
      teamAlias: team.name,
      ...(team.models !== undefined ? { models: team.models } : {}),
      ...(team.maxBudgetUsd !== undefined ? { maxBudgetUsd: team.maxBudgetUsd } : {}),
      ...(budgetDuration !== undefined ? { budgetDuration } : {}),
      ...(team.tpmLimit !== undefined ? { tpmLimit: team.tpmLimit } : {}),
      ...(team.rpmLimit !== undefined ? { rpmLimit: team.rpmLimit } : {}),
    };
    for (const reason of teamSettingsProblems(settings)) {
      const property = reason.slice(0, reason.indexOf(":"));
      // The name was judged above.
      if (property === "teamAlias") continue;
      problems.add(`teams[${i}].${property}`, (team as unknown as Record<string, unknown>)[property], reason.slice(reason.indexOf("; ") + 2));
    }
    const { teamAlias: _alias, models: _models, ...limits } = settings;
    return { name: team.name, namespace: team.namespace, keyAlias: defaultKeyAlias(team.name), models: [...(team.models ?? [])], ...limits };
  });
  const image = args.image ?? LITELLM_IMAGE;
  if (!isPinnedImage(image)) problems.add("image", image, "pin the image to a release tag or digest (not latest)");
  const schedule = args.schedule ?? DEFAULT_TEAM_RECONCILE_SCHEDULE;
  const scheduleProblem = crontabProblem(schedule);
  if (scheduleProblem !== undefined) problems.add("schedule", schedule, scheduleProblem);
  problems.throwIfAny();
  return { namespace: args.namespace, image, schedule, teams };
}

/**
 * The AI gateway's teams and their keys, kept in line with a list from inside the cluster: no admin URL
 * needs to be reachable from where Pulumi runs. A reconciler (a Python script in the gateway's own image)
 * creates, updates and deletes the LiteLLM teams through the gateway's admin API and writes each team's
 * key to the Secret `ai-gateway-key` in its namespace. A Job runs it after every change of the teams (Pulumi
 * waits for it), and a CronJob every 15 minutes, which heals what changed outside Pulumi: a key Secret that
 * was deleted (a rotation), a LiteLLM database restored without the teams. Each team's namespace gets a
 * Role that lets the reconciler get, create and patch that one Secret only. The gateway needs its database.
 */
export class GatewayTeamReconciler extends pulumi.ComponentResource {
  /** The Job of the latest change (its logs say what the run did; no key is ever printed). */
  public readonly jobName: pulumi.Output<string>;

  constructor(name: string, args: GatewayTeamReconcilerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken(COMPONENT), name, {}, opts);
    const plan = planGatewayTeamReconciler(name, args);

    // The builders' kubernetes-models types and Pulumi's args describe the same objects; they differ only in
    // how loosely they type some fields, hence the casts.
    const account = new k8s.core.v1.ServiceAccount(`${name}-account`, reconcilerServiceAccount(plan) as k8s.core.v1.ServiceAccountArgs, { parent: this });
    const teams = new k8s.core.v1.ConfigMap(`${name}-teams`, reconcilerTeamsConfigMap(plan) as k8s.core.v1.ConfigMapArgs, { parent: this });
    const script = new k8s.core.v1.ConfigMap(`${name}-script`, reconcilerScriptConfigMap(plan) as k8s.core.v1.ConfigMapArgs, { parent: this });
    const access = plan.teams.flatMap((team) => {
      const role = new k8s.rbac.v1.Role(`${name}-${team.name}-key-writer`, reconcilerRole(team.namespace) as k8s.rbac.v1.RoleArgs, { parent: this });
      const binding = new k8s.rbac.v1.RoleBinding(`${name}-${team.name}-key-writer`, reconcilerRoleBinding(plan, team.namespace) as k8s.rbac.v1.RoleBindingArgs, {
        parent: this,
        dependsOn: [role, account],
      });
      return [role, binding];
    });
    const network = [
      new k8s.networking.v1.NetworkPolicy(`${name}-network`, reconcilerNetworkPolicy(plan) as k8s.networking.v1.NetworkPolicyArgs, { parent: this }),
      new k8s.networking.v1.NetworkPolicy(`${name}-gateway-network`, gatewayFromReconcilerNetworkPolicy(plan) as k8s.networking.v1.NetworkPolicyArgs, { parent: this }),
    ];
    const runsAfter = [account, teams, script, ...access, ...network];
    const job = new k8s.batch.v1.Job(`${name}-run`, reconcilerJob(plan) as k8s.batch.v1.JobArgs, { parent: this, dependsOn: runsAfter });
    new k8s.batch.v1.CronJob(`${name}-heal`, reconcilerCronJob(plan) as k8s.batch.v1.CronJobArgs, { parent: this, dependsOn: runsAfter });

    this.jobName = job.metadata.name;
    this.registerOutputs({ jobName: this.jobName });
  }
}
