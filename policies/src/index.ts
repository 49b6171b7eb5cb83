/**
 * The platform's CrossGuard policy pack. Constructing a PolicyPack starts the analyzer's gRPC server and
 * reads ./package.json, so this file does nothing else and nothing imports it: rules, tests and the
 * offline render use `@mlops-platform/policies/rules`.
 *
 * Choosing the environment. Every policy takes an `environment` config property (local, dev, staging,
 * prod); with it, each violation is reported at that environment's level from DEFAULT_ENFORCEMENT in
 * rules.ts, which collects the table each rule declares in rules/<capability>.ts (advisory in local/dev
 * for hygiene rules, mandatory in staging/prod). Without it, a policy runs at its own level, which is the
 * prod level. Policy config is per policy, so generate the file from the same table the offline render
 * uses (it also sets each enforcementLevel, so the engine's summary agrees):
 *
 *   npx tsc -b
 *   node --input-type=module -e 'import { policyPackConfigFor } from "@mlops-platform/policies/rules";
 *     console.log(JSON.stringify(policyPackConfigFor("dev"), null, 2))' > policy-config.dev.json
 *   pulumi preview --stack dev --policy-pack policies --policy-pack-config policy-config.dev.json
 *
 * A hand-written file needs only the environment per policy, plus any settings:
 *   { "container-resources": { "environment": "dev" },
 *     "no-external-services": { "environment": "dev", "allowedExternalServices": ["istio-system/gateway"] }, ... }
 * Precedence: "disabled" (per policy or via "all") turns a policy off; otherwise a configured environment
 * decides the level; only a policy with no environment uses the file's enforcementLevel.
 */
import { PolicyPack } from "@pulumi/policy";
import { mlopsPolicies, PACK_ENFORCEMENT_LEVEL, PACK_NAME } from "./rules.js";

new PolicyPack(PACK_NAME, {
  description:
    "Guardrails for the ML platform: resources, host access, pinning, tenancy, exposure, GPUs and their cost, secrets, notebook culling, training runtimes, the AI gateway.",
  enforcementLevel: PACK_ENFORCEMENT_LEVEL,
  policies: [...mlopsPolicies],
});
