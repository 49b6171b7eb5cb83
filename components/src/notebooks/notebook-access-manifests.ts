/**
 * Pure builders of the objects behind NotebookAccess: oauth2-proxy and the nginx router (Deployments,
 * Services, the router's ConfigMap) and the Ingress or HTTPRoute in front of them. Each is a function of
 * the access plan alone; the OIDC client secret and the cookie secret never pass through here (the
 * component fills the Secret's `stringData`). Typed against `kubernetes-models` so a misspelled field
 * fails to compile.
 */
import type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import type { IService } from "kubernetes-models/v1/Service";
import { contentDigest, platformLabels, RESTRICTED_CONTAINER_SECURITY } from "../common/kubernetes.js";
import type { NotebookAccessGateway, NotebookAccessIngress, NotebookAccessPlan } from "./notebook-access.js";
import { notebookRouterConfig } from "./notebook-router.js";

/** Images, pinned (both seen in current public deployments, 2026). */
export const OAUTH2_PROXY_IMAGE = "quay.io/oauth2-proxy/oauth2-proxy:v7.15.2";
export const ROUTER_IMAGE = "nginxinc/nginx-unprivileged:1.29.8-alpine";
const OAUTH2_PROXY_PORT = 4180;
const ROUTER_PORT = 8080;

const OAUTH2_PROXY = "oauth2-proxy";
const ROUTER = "notebook-router";
/** The paths served from outside: notebooks, and oauth2-proxy's sign-in and callback. */
const PUBLIC_PATHS = ["/notebook/", "/oauth2/"];
// The shared constant is declared with Pulumi's input types; its values are plain.
const RESTRICTED = RESTRICTED_CONTAINER_SECURITY as ISecurityContext;
const RESOURCES: IResourceRequirements = { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "500m", memory: "128Mi" } };

function labels(): Record<string, string> {
  return platformLabels("notebooks");
}

function meta(plan: NotebookAccessPlan, name: string) {
  return { name, namespace: plan.namespace, labels: labels() };
}

/** The Secret oauth2-proxy reads its client and cookie secrets from, without values: the component sets `stringData`. */
export function oauth2ProxySecret(plan: NotebookAccessPlan): ISecret {
  return { apiVersion: "v1", kind: "Secret", metadata: meta(plan, OAUTH2_PROXY) };
}

/** oauth2-proxy as an auth endpoint only: it signs users in over OIDC and answers the router's checks. */
export function oauth2ProxyDeployment(plan: NotebookAccessPlan): IDeployment {
  const fromSecret = (key: string) => ({ secretKeyRef: { name: OAUTH2_PROXY, key } });
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(plan, OAUTH2_PROXY),
    spec: {
      replicas: plan.replicas,
      selector: { matchLabels: { "app.kubernetes.io/name": OAUTH2_PROXY } },
      template: {
        metadata: { labels: { ...labels(), "app.kubernetes.io/name": OAUTH2_PROXY } },
        spec: {
          automountServiceAccountToken: false,
          containers: [
            {
              name: "oauth2-proxy",
              image: OAUTH2_PROXY_IMAGE,
              args: [
                "--provider=oidc",
                `--oidc-issuer-url=${plan.oidcIssuerUrl}`,
                `--client-id=${plan.oidcClientId}`,
                `--http-address=0.0.0.0:${OAUTH2_PROXY_PORT}`,
                `--redirect-url=https://${plan.host}/oauth2/callback`,
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
              resources: RESOURCES,
              securityContext: RESTRICTED,
            },
          ],
        },
      },
    },
  };
}

export function oauth2ProxyService(plan: NotebookAccessPlan): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(plan, OAUTH2_PROXY),
    spec: { selector: { "app.kubernetes.io/name": OAUTH2_PROXY }, ports: [{ name: "http", port: OAUTH2_PROXY_PORT, targetPort: OAUTH2_PROXY_PORT }] },
  };
}

/** The router's nginx.conf: the plan's teams, checked by the oauth2-proxy Service above. */
export function accessRouterConfig(plan: NotebookAccessPlan): string {
  return notebookRouterConfig({
    teams: plan.teams,
    oauth2ProxyUrl: `http://${OAUTH2_PROXY}.${plan.namespace}.svc.${plan.clusterDomain}:${OAUTH2_PROXY_PORT}`,
    resolver: `kube-dns.kube-system.svc.${plan.clusterDomain}`,
    clusterDomain: plan.clusterDomain,
    port: ROUTER_PORT,
  });
}

export function notebookRouterConfigMap(plan: NotebookAccessPlan, config: string): IConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: meta(plan, ROUTER), data: { "nginx.conf": config } };
}

/** The nginx router; `config` is the ConfigMap's nginx.conf, whose digest rolls the router when it changes. */
export function notebookRouterDeployment(plan: NotebookAccessPlan, config: string): IDeployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(plan, ROUTER),
    spec: {
      replicas: plan.replicas,
      selector: { matchLabels: { "app.kubernetes.io/name": ROUTER } },
      template: {
        metadata: { labels: { ...labels(), "app.kubernetes.io/name": ROUTER }, annotations: { "mlops-platform.io/config-sha": contentDigest(config) } },
        spec: {
          automountServiceAccountToken: false,
          containers: [
            {
              name: "nginx",
              image: ROUTER_IMAGE,
              args: ["nginx", "-g", "daemon off;", "-c", "/etc/notebook-router/nginx.conf"],
              ports: [{ name: "http", containerPort: ROUTER_PORT }],
              readinessProbe: { httpGet: { path: "/healthz", port: ROUTER_PORT } },
              resources: RESOURCES,
              securityContext: RESTRICTED,
              volumeMounts: [
                { name: "config", mountPath: "/etc/notebook-router", readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "config", configMap: { name: ROUTER } },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
    },
  };
}

/** The router's Service, on port 80 as the Ingress and HTTPRoute expect. */
export function notebookRouterService(plan: NotebookAccessPlan): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(plan, ROUTER),
    spec: { selector: { "app.kubernetes.io/name": ROUTER }, ports: [{ name: "http", port: 80, targetPort: ROUTER_PORT }] },
  };
}

/** Sends the host's notebook and sign-in paths to the router; TLS only when a Secret is named. */
export function notebookAccessIngress(plan: NotebookAccessPlan, ingress: NotebookAccessIngress): IIngress {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: meta(plan, "notebooks"),
    spec: {
      ingressClassName: ingress.className,
      ...(ingress.tlsSecretName ? { tls: [{ hosts: [plan.host], secretName: ingress.tlsSecretName }] } : {}),
      rules: [
        {
          host: plan.host,
          http: {
            paths: PUBLIC_PATHS.map((path) => ({
              path,
              pathType: "Prefix",
              backend: { service: { name: ROUTER, port: { number: 80 } } },
            })),
          },
        },
      ],
    },
  };
}

/** Attaches the host's notebook and sign-in paths to a Gateway API Gateway, backed by the router. */
export function notebookAccessHttpRoute(plan: NotebookAccessPlan, gateway: NotebookAccessGateway): IHTTPRoute {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: meta(plan, "notebooks"),
    spec: {
      parentRefs: [{ name: gateway.name, namespace: gateway.namespace }],
      hostnames: [plan.host],
      rules: [
        {
          matches: PUBLIC_PATHS.map((value) => ({ path: { type: "PathPrefix", value } })),
          backendRefs: [{ name: ROUTER, port: 80 }],
        },
      ],
    },
  };
}
