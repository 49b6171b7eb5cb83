export * from "./team.js";
export * from "./team-spec.js";
