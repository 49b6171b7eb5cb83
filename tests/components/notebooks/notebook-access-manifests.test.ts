import { describe, expect, it } from "vitest";
import {
  accessRouterConfig,
  notebookAccessHttpRoute,
  notebookAccessIngress,
  notebookRouterConfigMap,
  notebookRouterDeployment,
  notebookRouterService,
  oauth2ProxyDeployment,
  oauth2ProxySecret,
  oauth2ProxyService,
  planNotebookAccess,
  type NotebookAccessPlan,
} from "@mlops-platform/components/internal";
import type { NotebookAccessArgs } from "@mlops-platform/components";

const base: NotebookAccessPlan = {
  namespace: "mlp-notebook-access",
  host: "notebooks.example.com",
  oidcIssuerUrl: "https://login.example.com/realms/ml",
  oidcClientId: "notebooks",
  teams: [{ namespace: "team-vision", groups: ["vision-leads"] }],
  replicas: 1,
  clusterDomain: "cluster.local",
  gateway: { name: "public", namespace: "gateways" },
};
const plan = (overrides: Partial<NotebookAccessPlan> = {}): NotebookAccessPlan => ({ ...base, ...overrides });

const args: NotebookAccessArgs = {
  namespace: "mlp-notebook-access",
  host: "notebooks.example.com",
  gatewayName: "public",
  oidcIssuerUrl: "https://login.example.com/realms/ml",
  oidcClientId: "notebooks",
  oidcClientSecret: "client-secret-value",
  teams: [{ namespace: "team-vision", groups: ["vision-leads"] }],
};

describe("notebook access manifests", () => {
  it.each([
    ["a Gateway in its own namespace", { gatewayNamespace: "gateways" }, { gateway: { name: "public", namespace: "gateways" } }],
    ["a Gateway beside the router", {}, { gateway: { name: "public", namespace: "mlp-notebook-access" } }],
    ["an IngressClass", { gatewayName: undefined, ingressClassName: "nginx" }, { ingress: { className: "nginx" } }],
    ["an IngressClass with TLS", { gatewayName: undefined, ingressClassName: "nginx", tlsSecretName: "tls" }, { ingress: { className: "nginx", tlsSecretName: "tls" } }],
  ])("plans exposure through %s, and nothing else", (_case, overrides, exposure) => {
    const planned = planNotebookAccess("access", { ...args, ...overrides });
    expect({ ingress: planned.ingress, gateway: planned.gateway }).toEqual({ ingress: undefined, gateway: undefined, ...exposure });
    expect([planned.replicas, planned.clusterDomain]).toEqual([1, "cluster.local"]);
  });

  it.each([["cluster.local"], ["corp.internal"]])("the router asks the oauth2-proxy Service on its port, in cluster domain %s", (clusterDomain) => {
    const p = plan({ clusterDomain });
    const service = oauth2ProxyService(p);
    const port = service.spec!.ports![0]!;
    expect(accessRouterConfig(p)).toContain(`set $oauth2_proxy http://${service.metadata?.name}.mlp-notebook-access.svc.${clusterDomain}:${port.port};`);
    expect(accessRouterConfig(p)).toContain(`resolver kube-dns.kube-system.svc.${clusterDomain} `);
    const proxy = oauth2ProxyDeployment(p).spec!.template.spec!.containers[0]!;
    expect(proxy.ports![0]!.containerPort).toBe(port.targetPort);
  });

  it.each([
    ["one team", [{ namespace: "team-vision", groups: ["vision-leads"] }], ["team-vision"], ["team-nlp"]],
    [
      "two teams",
      [
        { namespace: "team-vision", groups: ["vision-leads"] },
        { namespace: "team-nlp", groups: ["nlp"] },
      ],
      ["team-vision", "team-nlp"],
      ["team-speech"],
    ],
  ])("the router has no route to another team's notebooks (%s)", (_case, teams, served, unserved) => {
    const config = accessRouterConfig(plan({ teams }));
    for (const ns of served) expect(config).toContain(`location ~ ^/notebook/${ns}/`);
    for (const ns of unserved) expect(config).not.toContain(ns);
  });

  it("sends users back to the public host, and only checks sessions: oauth2-proxy proxies nothing", () => {
    const container = oauth2ProxyDeployment(plan({ host: "nb.dev.example.com" })).spec!.template.spec!.containers[0]!;
    expect(container.args).toEqual(
      expect.arrayContaining([
        "--redirect-url=https://nb.dev.example.com/oauth2/callback",
        "--oidc-issuer-url=https://login.example.com/realms/ml",
        "--client-id=notebooks",
        "--upstream=static://202",
      ]),
    );
  });

  it("reads the OIDC client and cookie secrets from the Secret it builds without values", () => {
    const secret = oauth2ProxySecret(base);
    expect([secret.data, secret.stringData]).toEqual([undefined, undefined]);
    const env = oauth2ProxyDeployment(base).spec!.template.spec!.containers[0]!.env!;
    expect(env.map((e) => [e.name, e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key])).toEqual([
      ["OAUTH2_PROXY_CLIENT_SECRET", secret.metadata?.name, "client-secret"],
      ["OAUTH2_PROXY_COOKIE_SECRET", secret.metadata?.name, "cookie-secret"],
    ]);
  });

  it("rolls the router when its config changes, and mounts the ConfigMap holding that config", () => {
    const digest = (p: NotebookAccessPlan) => notebookRouterDeployment(p, accessRouterConfig(p)).spec!.template.metadata?.annotations?.["mlops-platform.io/config-sha"];
    const other = plan({ teams: [...base.teams, { namespace: "team-nlp", groups: ["nlp"] }] });
    expect(digest(base)).toBe(digest(plan()));
    expect(digest(other)).not.toBe(digest(base));
    const volume = notebookRouterDeployment(base, "").spec!.template.spec!.volumes!.find((v) => v.name === "config");
    expect(volume?.configMap?.name).toBe(notebookRouterConfigMap(base, "").metadata?.name);
  });

  it.each([[1], [3]])("runs %i replicas of oauth2-proxy and of the router, each Service selecting its own pods", (replicas) => {
    const p = plan({ replicas });
    const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
      Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
    const proxy = oauth2ProxyDeployment(p).spec!;
    const router = notebookRouterDeployment(p, "").spec!;
    expect([proxy.replicas, router.replicas]).toEqual([replicas, replicas]);
    expect([selects(oauth2ProxyService(p).spec?.selector, proxy.template.metadata?.labels), selects(oauth2ProxyService(p).spec?.selector, router.template.metadata?.labels)]).toEqual([true, false]);
    expect([selects(notebookRouterService(p).spec?.selector, router.template.metadata?.labels), selects(notebookRouterService(p).spec?.selector, proxy.template.metadata?.labels)]).toEqual([true, false]);
    expect(notebookRouterService(p).spec?.ports?.[0]?.targetPort).toBe(router.template.spec!.containers[0]!.ports![0]!.containerPort);
  });

  it.each([
    ["without a TLS Secret", undefined, undefined],
    ["with a TLS Secret", "notebooks-tls", [{ hosts: ["notebooks.example.com"], secretName: "notebooks-tls" }]],
  ])("the Ingress sends only notebook and sign-in paths to the router's Service, %s", (_case, tlsSecretName, tls) => {
    const ingress = notebookAccessIngress(base, { className: "nginx", ...(tlsSecretName ? { tlsSecretName } : {}) }).spec!;
    const router = notebookRouterService(base);
    expect(ingress.ingressClassName).toBe("nginx");
    expect(ingress.tls).toEqual(tls);
    expect(ingress.rules!.map((r) => r.host)).toEqual(["notebooks.example.com"]);
    expect(ingress.rules![0]!.http!.paths.map((p) => [p.path, p.pathType, p.backend.service?.name, p.backend.service?.port?.number])).toEqual([
      ["/notebook/", "Prefix", router.metadata?.name, router.spec!.ports![0]!.port],
      ["/oauth2/", "Prefix", router.metadata?.name, router.spec!.ports![0]!.port],
    ]);
  });

  it("the HTTPRoute sends the host's requests to the router's Service port", () => {
    const route = notebookAccessHttpRoute(base, { name: "public", namespace: "gateways" }).spec;
    const router = notebookRouterService(base);
    expect(route.rules![0]!.backendRefs).toEqual([{ name: router.metadata?.name, port: router.spec!.ports![0]!.port }]);
  });
});
