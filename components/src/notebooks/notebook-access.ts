import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { invalidArgument, typeToken } from "../common/component.js";
import { suppliedOrGeneratedSecret } from "../common/generated-secret.js";
import { contentDigest, isDnsLabel, isHostName, platformLabels, RESTRICTED_CONTAINER_SECURITY } from "../common/kubernetes.js";
import { notebookRouterConfig, type RouterTeam } from "./notebook-router.js";

/** Images, pinned (both seen in current public deployments, 2026). */
export const OAUTH2_PROXY_IMAGE = "quay.io/oauth2-proxy/oauth2-proxy:v7.15.2";
export const ROUTER_IMAGE = "nginxinc/nginx-unprivileged:1.29.8-alpine";
/** Namespace of the notebook router and oauth2-proxy in an MlPlatform, when notebooks are exposed. */
export const NOTEBOOK_ACCESS_NAMESPACE = "mlp-notebook-access";
const OAUTH2_PROXY_PORT = 4180;
const ROUTER_PORT = 8080;

export interface NotebookAccessArgs {
  /** Namespace of the router and oauth2-proxy. */
  namespace: string;
  /** Public host name notebooks are served on, e.g. `notebooks.dev.example.com`. */
  host: string;
  /**
   * IngressClass to expose the router with. Exactly one of `ingressClassName` and `gatewayName`.
   * @default none
   */
  ingressClassName?: string;
  /**
   * TLS Secret for the Ingress (the Gateway terminates TLS itself).
   * @default none (TLS terminated in front of the ingress controller)
   */
  tlsSecretName?: string;
  /**
   * Gateway API Gateway to attach an HTTPRoute to. Exactly one of `ingressClassName` and `gatewayName`.
   * @default none
   */
  gatewayName?: string;
  /** @default the router's namespace */
  gatewayNamespace?: string;
  /** OIDC issuer, e.g. `https://login.example.com/realms/ml`. */
  oidcIssuerUrl: string;
  oidcClientId: string;
  /** The OIDC client's secret: a Pulumi secret. */
  oidcClientSecret: pulumi.Input<string>;
  /**
   * oauth2-proxy's cookie encryption secret: 16, 24 or 32 characters. Generated when not given.
   * @default a random 32-character secret
   */
  cookieSecret?: pulumi.Input<string>;
  /** Teams, with the groups allowed to open their notebooks. */
  teams: RouterTeam[];
  /** @default 1 */
  replicas?: number;
  /** @default "cluster.local" */
  clusterDomain?: string;
}

/**
 * Notebooks reached from outside the cluster, never anonymously: an Ingress or HTTPRoute sends
 * `https://<host>/notebook/<namespace>/<name>/` to a small nginx router, which asks oauth2-proxy (OIDC)
 * whether the user is signed in and in the team's groups before passing the request to the notebook.
 */
export class NotebookAccess extends pulumi.ComponentResource {
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: NotebookAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("NotebookAccess"), name, {}, opts);
    validateNotebookAccess(name, args);
    const labels = platformLabels("notebooks");
    const namespace = args.namespace;
    const replicas = args.replicas ?? 1;
    const clusterDomain = args.clusterDomain ?? "cluster.local";
    const meta = (objectName: string) => ({ name: objectName, namespace, labels });

    // oauth2-proxy wants a 16, 24 or 32 byte cookie secret.
    const cookieSecret = suppliedOrGeneratedSecret(args.cookieSecret, `${name}-cookie-secret`, 32, { parent: this });
    const secret = new k8s.core.v1.Secret(
      `${name}-oauth2-proxy`,
      {
        metadata: meta("oauth2-proxy"),
        stringData: { "client-secret": pulumi.secret(args.oidcClientSecret), "cookie-secret": cookieSecret },
      },
      { parent: this },
    );
    const fromSecret = (key: string) => ({ secretKeyRef: { name: "oauth2-proxy", key } });
    const restricted = RESTRICTED_CONTAINER_SECURITY;
    const resources = { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "500m", memory: "128Mi" } };

    const proxyLabels = { ...labels, "app.kubernetes.io/name": "oauth2-proxy" };
    new k8s.apps.v1.Deployment(
      `${name}-oauth2-proxy`,
      {
        metadata: meta("oauth2-proxy"),
        spec: {
          replicas,
          selector: { matchLabels: { "app.kubernetes.io/name": "oauth2-proxy" } },
          template: {
            metadata: { labels: proxyLabels },
            spec: {
              automountServiceAccountToken: false,
              containers: [
                {
                  name: "oauth2-proxy",
                  image: OAUTH2_PROXY_IMAGE,
                  args: [
                    "--provider=oidc",
                    `--oidc-issuer-url=${args.oidcIssuerUrl}`,
                    `--client-id=${args.oidcClientId}`,
                    `--http-address=0.0.0.0:${OAUTH2_PROXY_PORT}`,
                    `--redirect-url=https://${args.host}/oauth2/callback`,
                    // Auth only: the router proxies; oauth2-proxy answers /oauth2/auth with 202, 401 or 403.
                    "--upstream=static://202",
                    "--reverse-proxy=true",
                    "--email-domain=*",
                    "--oidc-groups-claim=groups",
                    "--scope=openid email profile groups",
                    "--cookie-secure=true",
                    "--skip-provider-button=true",
                  ],
                  env: [
                    { name: "OAUTH2_PROXY_CLIENT_SECRET", valueFrom: fromSecret("client-secret") },
                    { name: "OAUTH2_PROXY_COOKIE_SECRET", valueFrom: fromSecret("cookie-secret") },
                  ],
                  ports: [{ name: "http", containerPort: OAUTH2_PROXY_PORT }],
                  readinessProbe: { httpGet: { path: "/ready", port: OAUTH2_PROXY_PORT } },
                  resources,
                  securityContext: restricted,
                },
              ],
            },
          },
        },
      },
      { parent: this, dependsOn: [secret] },
    );
    new k8s.core.v1.Service(
      `${name}-oauth2-proxy-service`,
      {
        metadata: meta("oauth2-proxy"),
        spec: { selector: { "app.kubernetes.io/name": "oauth2-proxy" }, ports: [{ name: "http", port: OAUTH2_PROXY_PORT, targetPort: OAUTH2_PROXY_PORT }] },
      },
      { parent: this },
    );

    const config = notebookRouterConfig({
      teams: args.teams,
      oauth2ProxyUrl: `http://oauth2-proxy.${namespace}.svc.${clusterDomain}:${OAUTH2_PROXY_PORT}`,
      resolver: `kube-dns.kube-system.svc.${clusterDomain}`,
      clusterDomain,
      port: ROUTER_PORT,
    });
    const configMap = new k8s.core.v1.ConfigMap(`${name}-router-config`, { metadata: meta("notebook-router"), data: { "nginx.conf": config } }, { parent: this });
    const routerLabels = { ...labels, "app.kubernetes.io/name": "notebook-router" };
    new k8s.apps.v1.Deployment(
      `${name}-router`,
      {
        metadata: meta("notebook-router"),
        spec: {
          replicas,
          selector: { matchLabels: { "app.kubernetes.io/name": "notebook-router" } },
          template: {
            // A config change rolls the router: the annotation carries the config's content.
            metadata: { labels: routerLabels, annotations: { "mlops-platform.io/config-sha": contentDigest(config) } },
            spec: {
              automountServiceAccountToken: false,
              containers: [
                {
                  name: "nginx",
                  image: ROUTER_IMAGE,
                  args: ["nginx", "-g", "daemon off;", "-c", "/etc/notebook-router/nginx.conf"],
                  ports: [{ name: "http", containerPort: ROUTER_PORT }],
                  readinessProbe: { httpGet: { path: "/healthz", port: ROUTER_PORT } },
                  resources,
                  securityContext: restricted,
                  volumeMounts: [
                    { name: "config", mountPath: "/etc/notebook-router", readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "config", configMap: { name: "notebook-router" } },
                { name: "tmp", emptyDir: {} },
              ],
            },
          },
        },
      },
      { parent: this, dependsOn: [configMap] },
    );
    new k8s.core.v1.Service(
      `${name}-router-service`,
      {
        metadata: meta("notebook-router"),
        spec: { selector: { "app.kubernetes.io/name": "notebook-router" }, ports: [{ name: "http", port: 80, targetPort: ROUTER_PORT }] },
      },
      { parent: this },
    );

    if (args.ingressClassName) {
      new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
          metadata: meta("notebooks"),
          spec: {
            ingressClassName: args.ingressClassName,
            ...(args.tlsSecretName ? { tls: [{ hosts: [args.host], secretName: args.tlsSecretName }] } : {}),
            rules: [
              {
                host: args.host,
                http: {
                  paths: ["/notebook/", "/oauth2/"].map((path) => ({
                    path,
                    pathType: "Prefix",
                    backend: { service: { name: "notebook-router", port: { number: 80 } } },
                  })),
                },
              },
            ],
          },
        },
        { parent: this },
      );
    } else {
      new k8s.apiextensions.CustomResource(
        `${name}-route`,
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "HTTPRoute",
          metadata: meta("notebooks"),
          spec: {
            parentRefs: [{ name: args.gatewayName!, namespace: args.gatewayNamespace ?? namespace }],
            hostnames: [args.host],
            rules: [
              {
                matches: ["/notebook/", "/oauth2/"].map((value) => ({ path: { type: "PathPrefix", value } })),
                backendRefs: [{ name: "notebook-router", port: 80 }],
              },
            ],
          },
        },
        { parent: this },
      );
    }

    this.url = pulumi.output(`https://${args.host}/notebook/`);
    this.registerOutputs({ url: this.url });
  }
}

/** Validates NotebookAccess args; throws `InputPropertyError` naming the property and the fix. */
export function validateNotebookAccess(name: string, args: NotebookAccessArgs): void {
  const fail = (property: string, value: unknown, fix: string): never => invalidArgument("NotebookAccess", name, property, value, fix);
  if (!isDnsLabel(args.namespace)) fail("namespace", args.namespace, "use a namespace name");
  if (!isHostName(args.host)) fail("host", args.host, "use a DNS host name such as notebooks.dev.example.com");
  if (Boolean(args.ingressClassName) === Boolean(args.gatewayName)) {
    fail("ingressClassName", args.ingressClassName, "set exactly one of ingressClassName and gatewayName");
  }
  if (!/^https:\/\/[^\s/]+/.test(args.oidcIssuerUrl)) fail("oidcIssuerUrl", args.oidcIssuerUrl, "use the issuer's https:// URL");
  if (args.oidcClientId.trim() === "") fail("oidcClientId", args.oidcClientId, "set the OIDC client id");
  args.teams.forEach((team, i) => {
    if (team.groups.length === 0) fail(`teams[${i}].groups`, team.groups, "name the groups allowed to open the team's notebooks");
  });
}
