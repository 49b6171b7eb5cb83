import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { rollOnSecretChange, suppliedOrGeneratedSecret } from "../common/generated-secret.js";
import { isDnsLabel, isDnsSubdomain, isHostName } from "../common/kubernetes.js";
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
} from "./notebook-access-manifests.js";
import type { RouterTeam } from "./notebook-router.js";

/** Namespace of the notebook router and oauth2-proxy in an MlPlatform, when notebooks are exposed. */
export const NOTEBOOK_ACCESS_NAMESPACE = "mlp-notebook-access";

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
  /**
   * Namespace of the Gateway.
   * @default the router's namespace
   */
  gatewayNamespace?: string;
  /** OIDC issuer, e.g. `https://login.example.com/realms/ml`. */
  oidcIssuerUrl: string;
  /** The OIDC client's id. */
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
  /**
   * Replicas of the router and of oauth2-proxy.
   * @default 1
   */
  replicas?: number;
  /**
   * The cluster's DNS domain, in the Service names the router calls.
   * @default "cluster.local"
   */
  clusterDomain?: string;
}

/**
 * Notebooks reached from outside the cluster, never anonymously: an Ingress or HTTPRoute sends
 * `https://<host>/notebook/<namespace>/<name>/` to a small nginx router, which asks oauth2-proxy (OIDC)
 * whether the user is signed in and in the team's groups before passing the request to the notebook.
 */
export class NotebookAccess extends pulumi.ComponentResource {
  /** Base URL of the notebooks, `https://<host>/notebook/`; a notebook is at `<url><namespace>/<name>/`. */
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: NotebookAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("NotebookAccess"), name, {}, opts);
    const plan = planNotebookAccess(name, args);

    // oauth2-proxy wants a 16, 24 or 32 byte cookie secret.
    const cookieSecret = suppliedOrGeneratedSecret(args.cookieSecret, `${name}-cookie-secret`, 32, { parent: this });
    const stringData = { "client-secret": pulumi.secret(args.oidcClientSecret), "cookie-secret": cookieSecret };
    // The builders' kubernetes-models types and Pulumi's args describe the same objects; they differ only in
    // how loosely they type some fields (quantities, optional selectors), hence the casts.
    const secret = new k8s.core.v1.Secret(`${name}-oauth2-proxy`, { ...(oauth2ProxySecret(plan) as k8s.core.v1.SecretArgs), stringData }, { parent: this });
    // oauth2-proxy reads its client and cookie secrets from the Secret: it rolls when they change.
    new k8s.apps.v1.Deployment(`${name}-oauth2-proxy`, rollOnSecretChange(oauth2ProxyDeployment(plan), secret), { parent: this, dependsOn: [secret] });
    new k8s.core.v1.Service(`${name}-oauth2-proxy-service`, oauth2ProxyService(plan) as k8s.core.v1.ServiceArgs, { parent: this });

    const config = accessRouterConfig(plan);
    const configMap = new k8s.core.v1.ConfigMap(`${name}-router-config`, notebookRouterConfigMap(plan, config) as k8s.core.v1.ConfigMapArgs, { parent: this });
    new k8s.apps.v1.Deployment(`${name}-router`, notebookRouterDeployment(plan, config) as k8s.apps.v1.DeploymentArgs, { parent: this, dependsOn: [configMap] });
    new k8s.core.v1.Service(`${name}-router-service`, notebookRouterService(plan) as k8s.core.v1.ServiceArgs, { parent: this });

    if (plan.ingress) {
      new k8s.networking.v1.Ingress(`${name}-ingress`, notebookAccessIngress(plan, plan.ingress) as k8s.networking.v1.IngressArgs, { parent: this });
    } else if (plan.gateway) {
      new k8s.apiextensions.CustomResource(`${name}-route`, notebookAccessHttpRoute(plan, plan.gateway), { parent: this });
    }

    this.url = pulumi.output(`https://${plan.host}/notebook/`);
    this.registerOutputs({ url: this.url });
  }
}

/** Where the router is exposed through an Ingress. */
export interface NotebookAccessIngress {
  className: string;
  tlsSecretName?: string;
}

/** The Gateway API Gateway the router's HTTPRoute attaches to. */
export interface NotebookAccessGateway {
  name: string;
  namespace: string;
}

/** NotebookAccess args with defaults applied, as plain values: everything its objects are built from but its secrets. */
export interface NotebookAccessPlan {
  namespace: string;
  host: string;
  oidcIssuerUrl: string;
  oidcClientId: string;
  teams: RouterTeam[];
  replicas: number;
  clusterDomain: string;
  /** Exactly one of `ingress` and `gateway` is set. */
  ingress?: NotebookAccessIngress;
  gateway?: NotebookAccessGateway;
}

/** Validates NotebookAccess args and applies their defaults; throws `InputPropertyError` naming the property and the fix. */
export function planNotebookAccess(name: string, args: NotebookAccessArgs): NotebookAccessPlan {
  validateNotebookAccess(name, args);
  // Validation leaves exactly one of ingressClassName and gatewayName.
  const exposure: Pick<NotebookAccessPlan, "ingress" | "gateway"> = args.ingressClassName
    ? { ingress: { className: args.ingressClassName, ...(args.tlsSecretName !== undefined ? { tlsSecretName: args.tlsSecretName } : {}) } }
    : { gateway: { name: args.gatewayName!, namespace: args.gatewayNamespace ?? args.namespace } };
  return {
    namespace: args.namespace,
    host: args.host,
    oidcIssuerUrl: args.oidcIssuerUrl,
    oidcClientId: args.oidcClientId,
    teams: args.teams,
    replicas: args.replicas ?? 1,
    clusterDomain: args.clusterDomain ?? "cluster.local",
    ...exposure,
  };
}

/**
 * Validates NotebookAccess args; throws `InputPropertyError` (`InputPropertiesError` for several) naming
 * each property and the fix.
 */
export function validateNotebookAccess(name: string, args: NotebookAccessArgs): void {
  const problems = argumentProblems("NotebookAccess", name);
  if (!isDnsLabel(args.namespace)) problems.add("namespace", args.namespace, "use a namespace name");
  if (!isHostName(args.host)) problems.add("host", args.host, "use a DNS host name such as notebooks.dev.example.com");
  if ((args.ingressClassName === undefined) === (args.gatewayName === undefined)) {
    problems.add("ingressClassName", args.ingressClassName, "set exactly one of ingressClassName and gatewayName");
  }
  // Object names the Ingress or HTTPRoute refers to: a malformed one would only fail at apply time.
  if (args.ingressClassName !== undefined && !isDnsSubdomain(args.ingressClassName)) problems.add("ingressClassName", args.ingressClassName, "name an IngressClass (a DNS subdomain)");
  if (args.tlsSecretName !== undefined && !isDnsSubdomain(args.tlsSecretName)) problems.add("tlsSecretName", args.tlsSecretName, "name a Secret (a DNS subdomain)");
  if (args.gatewayName !== undefined && !isDnsSubdomain(args.gatewayName)) problems.add("gatewayName", args.gatewayName, "name a Gateway (a DNS subdomain)");
  if (args.gatewayNamespace !== undefined && !isDnsLabel(args.gatewayNamespace)) problems.add("gatewayNamespace", args.gatewayNamespace, "use a namespace name");
  if (!/^https:\/\/[^\s/]+/.test(args.oidcIssuerUrl)) problems.add("oidcIssuerUrl", args.oidcIssuerUrl, "use the issuer's https:// URL");
  if (args.oidcClientId.trim() === "") problems.add("oidcClientId", args.oidcClientId, "set the OIDC client id");
  args.teams.forEach((team, i) => {
    if (team.groups.length === 0) problems.add(`teams[${i}].groups`, team.groups, "name the groups allowed to open the team's notebooks");
  });
  problems.throwIfAny();
}
