/** The rules of NotebookPlatform, NotebookAccess, AiGateway (and its model list), GatewayTeam and GatewayTeamReconciler, each from a stack file. */
import { at, CONSTANT, TEAM_FIRST, type RuleCase } from "./cases.js";

const NOTEBOOKS = "notebooks/notebook-platform.ts";
const ACCESS = "notebooks/notebook-access.ts";
const GATEWAY = "gateway/ai-gateway.ts";
const MODELS = "gateway/litellm-config.ts";
const GATEWAY_TEAM = "gateway/gateway-team.ts";
const TEAM_SETTINGS = "gateway/litellm-admin.ts";
const RECONCILER = "gateway/team-reconciler.ts";

export const SERVICE_RULES: RuleCase[] = [
  // NotebookPlatform
  { file: NOTEBOOKS, site: "use a whole number of at least ${min}", rule: "idle culling waits at least a minute", stack: (s) => (s.notebooks["culling"] = { enabled: true, idleMinutes: 0 }), expected: [at("notebooks.culling.idleMinutes", "use a whole number of at least 1, got 0")] },
  { file: NOTEBOOKS, site: "use a whole number of at least ${min}", rule: "culling checks at least every minute", stack: (s) => (s.notebooks["culling"] = { enabled: true, idleMinutes: 30, checkPeriodMinutes: 0.5 }), expected: [at("notebooks.culling.checkPeriodMinutes", "use a whole number of at least 1, got 0.5")] },
  { file: NOTEBOOKS, site: "use a whole number of at least ${min}", rule: "a workspace is at least 1 GiB", stack: (s) => (s.notebooks["defaultWorkspaceGiB"] = 0), expected: [at("notebooks.defaultWorkspaceGiB", "use a whole number of at least 1, got 0")] },
  { file: NOTEBOOKS, site: "extraImages[${i}].image", rule: "extra images are pinned", stack: (s) => (s.notebooks["images"] = [{ name: "mine", image: "example.com/nb:latest" }]), expected: [at("notebooks.images[0].image", 'pin the image to a release tag or a digest (not latest), got "example.com/nb:latest"')] },
  { file: NOTEBOOKS, site: "${property}[${i}].name", rule: "image names are DNS labels", stack: (s) => (s.notebooks["images"] = [{ name: "Mine", image: "example.com/nb:1.0" }]), expected: [at("notebooks.images[0].name", 'use a DNS label (lower-case letters, digits and \'-\'), e.g. "jupyter-r", got "Mine"')] },
  { file: NOTEBOOKS, site: "${property}[${i}].name", rule: "size names are DNS labels", stack: (s) => (s.notebooks["sizes"] = [{ name: "XL", cpu: 16, memoryGiB: 64 }]), expected: [at("notebooks.sizes[0].name", 'use a DNS label (lower-case letters, digits and \'-\'), e.g. "xlarge", got "XL"')] },
  { file: NOTEBOOKS, site: "extraSizes[${i}].${key}", rule: "a size's CPU and memory are positive", stack: (s) => (s.notebooks["sizes"] = [{ name: "xl", cpu: 0, memoryGiB: 64 }]), expected: [at("notebooks.sizes[0].cpu", "use a positive number, got 0")] },
  { file: NOTEBOOKS, site: "extraSizes[${i}].gpus", rule: "a size's GPUs are a whole number", stack: (s) => (s.notebooks["sizes"] = [{ name: "xl", cpu: 4, memoryGiB: 8, gpus: 0.5 }]), expected: [at("notebooks.sizes[0].gpus", "use a whole number, 0 or more, got 0.5")] },
  { file: NOTEBOOKS, site: "may appear once", rule: "an extra image does not reuse a name", stack: (s) => (s.notebooks["images"] = [{ name: "jupyter-scipy", image: "example.com/nb:1.0" }]), expected: [at("notebooks.images[0].name", 'each image name may appear once, got "jupyter-scipy"')] },
  { file: NOTEBOOKS, site: "may appear once", rule: "an extra size does not reuse a name", stack: (s) => (s.notebooks["sizes"] = [{ name: "small", cpu: 1, memoryGiB: 1 }]), expected: [at("notebooks.sizes[0].name", 'each size name may appear once, got "small"')] },
  { file: NOTEBOOKS, site: "teams[${i}].namespace", rule: "a team's namespace is a DNS label", unreachable: TEAM_FIRST("teams[].name", "the name") },
  { file: NOTEBOOKS, site: "teams[${i}].groups", rule: "a team has groups", unreachable: TEAM_FIRST("teams[].owners", "a team without owners") },

  // NotebookAccess
  { file: ACCESS, site: '"namespace"', rule: "the router's namespace is a DNS label", unreachable: CONSTANT("the router's namespace (mlp-notebook-access)") },
  { file: ACCESS, site: '"host"', rule: "the host is a DNS host name", stack: (s) => (s.notebooks.access["host"] = "not a host"), expected: [at("notebooks.access.host", 'use a DNS host name such as notebooks.dev.example.com, got "not a host"')] },
  {
    file: ACCESS,
    site: "set exactly one of",
    rule: "exposed through exactly one of an IngressClass and a Gateway",
    unreachable: "infra passes exactly one, and no access without either: the stack check reports notebooks.access.gateway instead",
  },
  { file: ACCESS, site: "name an IngressClass", rule: "the IngressClass is a name", stack: (s) => (s.cluster["ingressClass"] = "Nginx!"), expected: [at("cluster.ingressClass", 'name an IngressClass (a DNS subdomain), got "Nginx!"')] },
  { file: ACCESS, site: '"tlsSecretName"', rule: "the TLS Secret is a name", stack: (s) => (s.notebooks.access["tlsSecretName"] = "Bad_Secret"), expected: [at("notebooks.access.tlsSecretName", 'name a Secret (a DNS subdomain), got "Bad_Secret"')] },
  { file: ACCESS, site: '"gatewayName"', rule: "the Gateway is a name", stack: (s) => (s.notebooks.access["gateway"] = { name: "Public_Gw", namespace: "gateways" }), expected: [at("notebooks.access.gateway.name", 'name a Gateway (a DNS subdomain), got "Public_Gw"')] },
  { file: ACCESS, site: '"gatewayNamespace"', rule: "the Gateway's namespace is a DNS label", stack: (s) => (s.notebooks.access["gateway"] = { name: "public", namespace: "Gateways" }), expected: [at("notebooks.access.gateway.namespace", 'use a namespace name, got "Gateways"')] },
  { file: ACCESS, site: '"oidcIssuerUrl"', rule: "the issuer is https", stack: (s) => (s.notebooks.access.oidc["issuerUrl"] = "http://login.example.com"), expected: [at("notebooks.access.oidc.issuerUrl", 'use the issuer\'s https:// URL, got "http://login.example.com"')] },
  { file: ACCESS, site: '"oidcClientId"', rule: "the OIDC client id is set", stack: (s) => (s.notebooks.access.oidc["clientId"] = " "), expected: [at("notebooks.access.oidc.clientId", 'set the OIDC client id, got " "')] },
  { file: ACCESS, site: "teams[${i}].groups", rule: "a team has groups to sign in with", unreachable: TEAM_FIRST("teams[].owners", "a team without owners") },

  // AiGateway
  { file: GATEWAY, site: '"namespace"', rule: "the gateway's namespace is a DNS label", unreachable: CONSTANT("the gateway's namespace (mlp-gateway)") },
  {
    file: GATEWAY,
    site: "list at least one model",
    rule: "an enabled gateway serves a model",
    stack: (s) => {
      Object.assign(s.gateway, { enabled: true, models: [] });
      delete s["openaiApiKey"];
      delete s.teams[0]!.gateway;
    },
    expected: [at("gateway.models", "list at least one model, got []")],
  },
  {
    file: GATEWAY,
    site: '"replicas"',
    rule: "the gateway runs at least one replica",
    stack: (s) => {
      s.availability = { replicas: 0 };
      s.cluster["certManager"] = { replicas: 1 };
    },
    expected: [at("availability.replicas", "use a whole number of at least 1, got 0")],
  },
  { file: GATEWAY, site: '"cache.ttlSeconds"', rule: "cached answers live at least a second", stack: (s) => (s.gateway["cache"] = { ttlSeconds: 0 }), expected: [at("gateway.cache.ttlSeconds", "use a whole number of seconds, at least 1, got 0")] },
  { file: GATEWAY, site: '"image"', rule: "the gateway image is pinned", stack: (s) => (s.gateway["image"] = "ghcr.io/berriai/litellm:latest"), expected: [at("gateway.image", 'pin the image to a release tag or digest (not latest), got "ghcr.io/berriai/litellm:latest"')] },
  { file: GATEWAY, site: "clientNamespaces", rule: "client namespaces are DNS labels", unreachable: TEAM_FIRST("teams[].name", "the name") },

  // AiGateway's models and prompts
  { file: MODELS, site: "is listed twice", rule: "a model name is used once", stack: (s) => s.gateway.models.push({ name: "chat", provider: "anthropic", model: "claude" }), expected: [at("gateway.models[1].name", '"chat" is listed twice, got "chat"')] },
  {
    file: MODELS,
    site: "chat-default",
    rule: "a model name is a DNS label",
    stack: (s) => {
      s.gateway.models[0]!["name"] = "Chat!";
      s.teams[0]!.gateway = { models: ["Chat!"] };
    },
    expected: [at("gateway.models[0].name", 'use a DNS label (lower-case letters, digits and \'-\'), e.g. "chat-default", got "Chat!"')],
  },
  { file: MODELS, site: "is not one of", rule: "the provider is one the gateway supports", stack: (s) => (s.gateway.models[0]!["provider"] = "grok"), expected: [at("gateway.models[0].provider", '"grok" is not one of openai, anthropic, azure-openai, bedrock, vertex, vllm, ollama, got "grok"')] },
  { file: MODELS, site: "name the provider's model", rule: "the provider's model is named", stack: (s) => (s.gateway.models[0]!["model"] = ""), expected: [at("gateway.models[0].model", 'name the provider\'s model (or Azure deployment), got ""')] },
  { file: MODELS, site: "required for", rule: "self-hosted and Azure models have an endpoint", stack: (s) => s.gateway.models.push({ name: "local", provider: "vllm", model: "llama" }), expected: [at("gateway.models[1].apiBase", "required; required for vllm")] },
  { file: MODELS, site: "use the endpoint's http(s) URL", rule: "an endpoint is an http(s) URL", stack: (s) => (s.gateway.models[0]!["apiBase"] = "api.openai.com"), expected: [at("gateway.models[0].apiBase", 'use the endpoint\'s http(s) URL, got "api.openai.com"')] },
  { file: MODELS, site: "set the API version", rule: "an API version is not empty", stack: (s) => (s.gateway.models[0]!["apiVersion"] = ""), expected: [at("gateway.models[0].apiVersion", 'set the API version, or leave it out, got ""')] },
  { file: MODELS, site: "or leave it out for no limit", rule: "request and token limits are whole numbers above 0", stack: (s) => (s.gateway.models[0]!["tpm"] = 1.5), expected: [at("gateway.models[0].tpm", "use a whole number of at least 1, or leave it out for no limit, got 1.5")] },
  { file: MODELS, site: "use one of the gateway's models", rule: "fallbacks are the gateway's models", stack: (s) => (s.gateway.models[0]!["fallbacks"] = ["nope"]), expected: [at("gateway.models[0].fallbacks[0]", 'use one of the gateway\'s models: chat, got "nope"')] },
  {
    file: MODELS,
    site: "use one of the gateway's models",
    rule: "a misspelt fallback lists the models there are",
    stack: (s) => {
      s.gateway.models.push({ name: "claude", provider: "anthropic", model: "claude-sonnet-4-5", apiKey: "openaiApiKey", fallbacks: ["chat"] });
      s.gateway.models[0]!["fallbacks"] = ["claude", "Chat-Default"];
    },
    expected: [at("gateway.models[0].fallbacks[1]", 'use one of the gateway\'s models: chat, claude, got "Chat-Default"')],
  },
  { file: MODELS, site: "cannot fall back to itself", rule: "a model does not fall back to itself", stack: (s) => (s.gateway.models[0]!["fallbacks"] = ["chat"]), expected: [at("gateway.models[0].fallbacks[0]", "use another of the gateway's models: a model cannot fall back to itself, got \"chat\"")] },
  { file: MODELS, site: "summarize", rule: "a prompt id is a DNS label", stack: (s) => (s.gateway["prompts"] = [{ id: "Summarize!", template: "User: {{text}}" }]), expected: [at("gateway.prompts[0].id", 'use a DNS label (lower-case letters, digits and \'-\'), e.g. "summarize", got "Summarize!"')] },
  {
    file: MODELS,
    site: "give every prompt its own id",
    rule: "prompt ids are unique",
    stack: (s) => (s.gateway["prompts"] = [{ id: "summarize", template: "User: {{text}}" }, { id: "summarize", template: "User: {{t}}" }]),
    expected: [at("gateway.prompts[1].id", 'give every prompt its own id, got "summarize"')],
  },
  { file: MODELS, site: "write the dotprompt template", rule: "a prompt has a template", stack: (s) => (s.gateway["prompts"] = [{ id: "summarize", template: " " }]), expected: [at("gateway.prompts[0].template", 'write the dotprompt template, got " "')] },

  // GatewayTeam (a team's key and budget on the gateway, with adminUrl and a database)
  { file: GATEWAY_TEAM, site: 'property: "adminUrl"', rule: "the admin URL is http(s)", stack: (s) => (s.gateway["adminUrl"] = "ftp://ai-gateway.example.com"), expected: [at("gateway.adminUrl", 'use the gateway\'s http(s) URL, got "ftp://ai-gateway.example.com"')] },
  { file: GATEWAY_TEAM, site: 'property: "masterKey"', rule: "the master key is not empty", unreachable: "MlPlatform passes the gateway's own master key (generated, or the gatewayMasterKey secret)" },
  { file: GATEWAY_TEAM, site: 'property: "keyAlias"', rule: "the key alias suits LiteLLM", unreachable: "MlPlatform leaves the alias at mlops-platform/<team>, valid for every name Team accepts" },

  // A team's gateway settings (GatewayTeam's rules, which MlPlatform applies with or without a GatewayTeam)
  { file: TEAM_SETTINGS, site: "teamAlias: got", rule: "the team has a name", unreachable: TEAM_FIRST("teams[].name", "the name") },
  {
    file: TEAM_SETTINGS,
    site: "models: got",
    rule: "a team's models are names",
    stack: (s) => (s.teams[0]!.gateway = { models: [""] }),
    expected: [
      at("teams[0].gateway.models[0]", 'use one of the gateway\'s models: chat, got ""'),
      at("teams[0].gateway.models", 'list the gateway\'s model names, or leave it out for every model, got [""]'),
    ],
  },
  { file: TEAM_SETTINGS, site: "maxBudgetUsd: got", rule: "a budget is 0 or more", stack: (s) => (s.teams[0]!.gateway!["monthlyBudgetUsd"] = -1), expected: [at("teams[0].gateway.monthlyBudgetUsd", "use a dollar amount of 0 or more, got -1")] },
  { file: TEAM_SETTINGS, site: "budgetDuration: got", rule: "a budget period has a unit", unreachable: CONSTANT("the budget period (30d)") },
  { file: TEAM_SETTINGS, site: "${field}: got", rule: "team rate limits are whole numbers above 0", stack: (s) => (s.teams[0]!.gateway!["tpmLimit"] = 0), expected: [at("teams[0].gateway.tpmLimit", "use a whole number above 0, or leave it out for no limit, got 0")] },
  { file: TEAM_SETTINGS, site: "${field}: got", rule: "team request limits are whole numbers above 0", stack: (s) => (s.teams[0]!.gateway!["rpmLimit"] = 2.5), expected: [at("teams[0].gateway.rpmLimit", "use a whole number above 0, or leave it out for no limit, got 2.5")] },

  // GatewayTeamReconciler (every team's key and budget, reconciled in the cluster: a database and no adminUrl)
  { file: RECONCILER, site: '"namespace", args.namespace', rule: "the reconciler runs in the gateway's namespace", unreachable: CONSTANT("the gateway's namespace (mlp-gateway)") },
  { file: RECONCILER, site: "use a DNS label", rule: "a reconciled team's name is a DNS label", unreachable: TEAM_FIRST("teams[].name", "the name") },
  { file: RECONCILER, site: "list each team once", rule: "a reconciled team is listed once", unreachable: "the value comes from teams[].name, where MlPlatform reports a repeated team first (one report per key)" },
  { file: RECONCILER, site: "teams[${i}].namespace", rule: "a reconciled team's namespace is a DNS label", unreachable: TEAM_FIRST("teams[].name", "the name its namespace is made of") },
  {
    file: RECONCILER,
    site: "teams[${i}].${property}",
    rule: "a reconciled team's models, budget and limits",
    unreachable: "they come from teams[].gateway, where MlPlatform applies GatewayTeam's rules to every team first (the rows above)",
  },
  { file: RECONCILER, site: '"image", image', rule: "the reconciler's image is pinned", unreachable: "the image is gateway.image, where AiGateway reports an unpinned image first (one report per key)" },
  { file: RECONCILER, site: '"schedule", schedule', rule: "the healing schedule has crontab's five fields", unreachable: CONSTANT("the healing schedule (every 15 minutes)") },
];

