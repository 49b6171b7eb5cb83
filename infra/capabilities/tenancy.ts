/**
 * Teams (`mlops-platform:teams`): each entry becomes a namespace `team-<name>` with quota, RBAC, network
 * isolation, notebooks, a training queue and, with a gateway, its door to the LLMs.
 */
import type { TeamArgs } from "@mlops-platform/components";
import { z } from "zod";
import type { PlatformConfig } from "../config.js";
import type { Capability } from "./capability.js";
import { cidr, dnsLabel, nonEmptyString, nonNegativeInt, positiveInt, positiveNumber } from "./fields.js";

const teamSchema = z.strictObject({
  /** Team name; its namespace is `team-<name>`. */
  name: dnsLabel("a team name").refine((name) => name.length <= 58, {
    error: "expected a team name of at most 58 characters (its namespace is team-<name>)",
  }),
  /** Identity-provider groups whose members administer the team's namespace. */
  owners: z.array(nonEmptyString("a group name"), { error: "expected a list of group names" }).min(1, {
    error: "expected at least one owner group",
  }),
  /** Identity-provider groups whose members work in the team's namespace. */
  members: z.array(nonEmptyString("a group name"), { error: "expected a list of group names" }).default([]),
  quota: z.strictObject({
    cpu: positiveNumber(),
    memoryGiB: positiveNumber(),
    gpus: nonNegativeInt().default(0),
    storageGiB: positiveNumber(),
  }),
  /** What the team may do through the AI gateway. */
  gateway: z
    .strictObject({
      models: z.array(dnsLabel("a model name"), { error: "expected a list of model names" }).optional(),
      monthlyBudgetUsd: positiveNumber().optional(),
      tpmLimit: positiveInt().optional(),
      rpmLimit: positiveInt().optional(),
    })
    .optional(),
  /** Addresses outside the cluster the team's pods may reach (package mirrors, object storage). */
  egressCidrs: z.array(cidr(), { error: "expected a list of CIDRs" }).default([]),
});

const teamsSection = z
  .array(teamSchema, { error: "expected a list of teams" })
  .default([])
  .superRefine((list, ctx) => {
    const first = new Map<string, number>();
    list.forEach((team, index) => {
      const earlier = first.get(team.name);
      if (earlier === undefined) first.set(team.name, index);
      else ctx.addIssue({ code: "custom", path: [index, "name"], message: `duplicate team name (also teams[${earlier}].name)` });
    });
  });

export const teams: Capability<"teams", typeof teamsSection> = {
  key: "teams",
  section: teamsSection,
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
