/**
 * Teams (`mlops-platform:teams`): each entry becomes a namespace `team-<name>` with quota, RBAC, network
 * isolation, notebooks, a training queue and, with a gateway, its door to the LLMs.
 */
import type { TeamArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import { valueAt, type Capability } from "./capability.js";

// Names, groups, quotas and CIDRs are Team's to check, unique names MlPlatform's, and a team's gateway
// settings MlPlatform's and GatewayTeam's: the stack keeps only the shape.
const teamSchema = z.strictObject({
  /** Team name; its namespace is `team-<name>`. */
  name: z.string(),
  /** Identity-provider groups whose members administer the team's namespace. */
  owners: z.array(z.string(), { error: "expected a list of group names" }),
  /** Identity-provider groups whose members work in the team's namespace. */
  members: z.array(z.string(), { error: "expected a list of group names" }).default([]),
  quota: z.strictObject({
    cpu: z.number(),
    memoryGiB: z.number(),
    gpus: z.number().default(0),
    storageGiB: z.number(),
  }),
  /** What the team may do through the AI gateway. */
  gateway: z
    .strictObject({
      models: z.array(z.string(), { error: "expected a list of model names" }).optional(),
      monthlyBudgetUsd: z.number().optional(),
      tpmLimit: z.number().optional(),
      rpmLimit: z.number().optional(),
    })
    .optional(),
  /** Addresses outside the cluster the team's pods may reach (package mirrors, object storage). */
  egressCidrs: z.array(z.string(), { error: "expected a list of CIDRs" }).default([]),
});

const teamsSection = z.array(teamSchema, { error: "expected a list of teams" }).default([]);

export const teams: Capability<"teams", typeof teamsSection> = {
  key: "teams",
  section: teamsSection,
  argPaths: [
    // MlPlatform keys a team's gateway settings by team name; the stack keeps them in the team's entry.
    [
      /^gateway\.teams\.([^.[]+)(.*)$/,
      (stack, name, rest) => {
        const list = valueAt(stack, ["teams"]);
        const index = Array.isArray(list) ? list.findIndex((team) => (team as { name?: unknown } | null)?.name === name) : -1;
        // A budget the team's entry leaves out is the gateway's default for every team.
        if (rest === ".monthlyBudgetUsd" && index >= 0 && valueAt(list, [index, "gateway", "monthlyBudgetUsd"]) === undefined) return "gateway.defaultTeamMonthlyBudgetUsd";
        return `teams[${index}].gateway${rest}`;
      },
    ],
  ],
};

export function teamArgs(config: PlatformConfig): TeamArgs[] {
  return config.teams.map((team) => ({
    name: team.name,
    owners: team.owners,
    members: team.members,
    quota: team.quota,
    egressCidrs: team.egressCidrs,
  }));
}
