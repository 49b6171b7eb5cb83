/**
 * Tenancy: `Team`, a team's namespace with its quota, limits, RBAC and NetworkPolicies. The quota, limit and
 * policy builders stay inside this folder.
 */
export { Team, type TeamArgs, type TeamQuotaArgs } from "./team.js";
export { TEAM_LABEL, type TrainingGpuInput } from "./team-spec.js";
