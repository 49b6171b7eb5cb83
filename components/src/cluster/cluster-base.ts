import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { argumentProblems, typeToken } from "../common/component.js";
import { isExactChartVersion } from "../common/helm.js";
import { isDnsLabel, isSystemNamespace, platformLabels, podSecurityLabels, POD_SECURITY_LEVELS, PodSecurityLevel } from "../common/kubernetes.js";
import { CERT_MANAGER_CHART, certManagerValues } from "./cert-manager.js";
import {
  DEFAULT_PRIORITY_VALUES,
  MAX_USER_PRIORITY,
  MIN_USER_PRIORITY,
  priorityClassSpecs,
  WORKLOAD_CLASSES,
  WorkloadClass,
  type PriorityClassNames,
} from "./priority-classes.js";

/** A namespace the platform owns (one per capability, e.g. `mlp-gateway`). */
export interface PlatformNamespaceArgs {
  /** Namespace name: an RFC 1123 DNS label. */
  name: string;
  /**
   * Pod Security level enforced in the namespace.
   * @default "restricted"
   */
  podSecurity?: PodSecurityLevel;
  /**
   * Extra labels on the namespace.
   * @default {}
   */
  labels?: Record<string, string>;
}

/** cert-manager settings. */
export interface CertManagerArgs {
  /**
   * Install cert-manager. Turn off only when the cluster already runs one (then it must be v1.12 or newer).
   * @default true
   */
  enabled?: boolean;
  /**
   * Exact chart version from https://charts.jetstack.io.
   * @default "v1.20.2"
   */
  version?: string;
  /**
   * Namespace cert-manager runs in.
   * @default "cert-manager"
   */
  namespace?: string;
  /**
   * Replicas of the controller, webhook and CA injector. Above 1, PodDisruptionBudgets are created too.
   * @default 1
   */
  replicas?: number;
}

/** PriorityClass values per workload. */
export interface PriorityClassesArgs {
  /**
   * Prefix of the PriorityClass names (`<prefix>-serving`, `<prefix>-notebooks`, `<prefix>-training`).
   * @default "mlp"
   */
  prefix?: string;
  /**
   * Value of the serving PriorityClass.
   * @default 100000
   */
  servingValue?: number;
  /**
   * Value of the notebooks PriorityClass.
   * @default 50000
   */
  notebooksValue?: number;
  /**
   * Value of the training PriorityClass.
   * @default 10000
   */
  trainingValue?: number;
}

export interface ClusterBaseArgs {
  /**
   * Namespaces the platform's capabilities run in, created with Pod Security labels. cert-manager's
   * namespace is added automatically when cert-manager is enabled.
   * @default []
   */
  namespaces?: PlatformNamespaceArgs[];
  /**
   * cert-manager (the notebook PodDefault webhook, the Trainer webhook and the backup plugin need it).
   * @default { enabled: true }
   */
  certManager?: CertManagerArgs;
  /**
   * The serving, notebooks and training PriorityClasses.
   * @default { prefix: "mlp" }
   */
  priorityClasses?: PriorityClassesArgs;
}

const COMPONENT = "ClusterBase";

/**
 * What every other capability stands on: the platform's namespaces (Pod Security labelled), cert-manager,
 * and PriorityClasses for serving, notebooks and training.
 */
export class ClusterBase extends pulumi.ComponentResource {
  /** Names of the namespaces this component created, cert-manager's included. */
  public readonly namespaces: pulumi.Output<string[]>;
  /** Namespace cert-manager runs in, or undefined when cert-manager is not installed here. */
  public readonly certManagerNamespace: pulumi.Output<string | undefined>;
  /** PriorityClass name per workload (`serving`, `notebooks`, `training`). */
  public readonly priorityClassNames: pulumi.Output<PriorityClassNames>;

  constructor(name: string, args: ClusterBaseArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken(COMPONENT), name, {}, opts);
    const plan = planClusterBase(name, args);

    const namespaces = new Map<string, k8s.core.v1.Namespace>();
    for (const ns of plan.namespaces) {
      namespaces.set(
        ns.name,
        new k8s.core.v1.Namespace(
          `${name}-ns-${ns.name}`,
          {
            metadata: {
              name: ns.name,
              labels: { ...platformLabels("cluster-base"), ...podSecurityLabels(ns.podSecurity), ...ns.labels },
            },
          },
          { parent: this },
        ),
      );
    }

    if (plan.certManager) {
      const certManagerNs = namespaces.get(plan.certManager.namespace);
      new k8s.helm.v4.Chart(
        `${name}-cert-manager`,
        {
          chart: CERT_MANAGER_CHART.chart,
          repositoryOpts: { repo: CERT_MANAGER_CHART.repository },
          version: plan.certManager.version,
          namespace: plan.certManager.namespace,
          values: certManagerValues({ replicas: plan.certManager.replicas }),
        },
        { parent: this, dependsOn: certManagerNs ? [certManagerNs] : [] },
      );
    }

    const priorityClassNames = {} as PriorityClassNames;
    for (const [index, spec] of plan.priorityClasses.entries()) {
      const workload = WORKLOAD_CLASSES[index]!;
      priorityClassNames[workload] = spec.name;
      new k8s.scheduling.v1.PriorityClass(
        `${name}-priority-${workload}`,
        {
          metadata: { name: spec.name, labels: platformLabels("cluster-base") },
          value: spec.value,
          preemptionPolicy: spec.preemptionPolicy,
          globalDefault: false,
          description: spec.description,
        },
        { parent: this },
      );
    }

    this.namespaces = pulumi.output(plan.namespaces.map((ns) => ns.name));
    this.certManagerNamespace = pulumi.output(plan.certManager?.namespace);
    this.priorityClassNames = pulumi.output(priorityClassNames);
    this.registerOutputs({
      namespaces: this.namespaces,
      certManagerNamespace: this.certManagerNamespace,
      priorityClassNames: this.priorityClassNames,
    });
  }
}

/** The resolved, validated shape of a ClusterBase: every default applied. */
export interface ClusterBasePlan {
  namespaces: Required<PlatformNamespaceArgs>[];
  certManager?: { namespace: string; version: string; replicas: number };
  priorityClasses: ReturnType<typeof priorityClassSpecs>;
}

/**
 * Applies defaults and validates ClusterBase args; throws `InputPropertyError` (`InputPropertiesError` for
 * several) naming each property, the value and the fix. Pure, so it is tested directly and the constructor
 * creates nothing on bad input.
 */
export function planClusterBase(name: string, args: ClusterBaseArgs): ClusterBasePlan {
  const problems = argumentProblems(COMPONENT, name);

  const certManagerArgs = args.certManager ?? {};
  const certManagerEnabled = certManagerArgs.enabled ?? true;
  const certManagerNamespace = certManagerArgs.namespace ?? "cert-manager";
  const certManagerVersion = certManagerArgs.version ?? CERT_MANAGER_CHART.version;
  const certManagerReplicas = certManagerArgs.replicas ?? 1;
  if (!isExactChartVersion(certManagerVersion)) {
    problems.add("certManager.version", certManagerVersion, "use an exact chart version such as \"v1.20.2\"");
  }
  if (!Number.isInteger(certManagerReplicas) || certManagerReplicas < 1) {
    problems.add("certManager.replicas", certManagerReplicas, "use a whole number of at least 1");
  }

  const seen = new Set<string>();
  const namespaces = (args.namespaces ?? []).map((ns, index) => {
    if (!isDnsLabel(ns.name)) {
      problems.add(`namespaces[${index}].name`, ns.name, "use a DNS label: lower-case letters, digits and '-', at most 63 characters");
    } else if (isSystemNamespace(ns.name)) {
      // The platform would own it: deleting the stack would delete Kubernetes' own namespace.
      problems.add(`namespaces[${index}].name`, ns.name, "use a namespace of the platform's own: default and kube-* belong to Kubernetes itself");
    } else if (seen.has(ns.name)) {
      problems.add(`namespaces[${index}].name`, ns.name, "each namespace may be listed once");
    }
    seen.add(ns.name);
    const podSecurity = ns.podSecurity ?? PodSecurityLevel.Restricted;
    if (!POD_SECURITY_LEVELS.includes(podSecurity)) {
      problems.add(`namespaces[${index}].podSecurity`, podSecurity, `use one of ${POD_SECURITY_LEVELS.join(", ")}`);
    }
    return { name: ns.name, podSecurity, labels: ns.labels ?? {} };
  });
  if (certManagerEnabled && !seen.has(certManagerNamespace)) {
    if (!isDnsLabel(certManagerNamespace)) problems.add("certManager.namespace", certManagerNamespace, "use a DNS label such as \"cert-manager\"");
    else if (isSystemNamespace(certManagerNamespace)) {
      problems.add("certManager.namespace", certManagerNamespace, 'use a namespace of its own such as "cert-manager": default and kube-* belong to Kubernetes itself');
    }
    // cert-manager's pods run as non-root with a RuntimeDefault seccomp profile, so restricted fits.
    namespaces.unshift({ name: certManagerNamespace, podSecurity: PodSecurityLevel.Restricted, labels: {} });
  }

  const pc = args.priorityClasses ?? {};
  const prefix = pc.prefix ?? "mlp";
  if (!isDnsLabel(prefix) || prefix.length > 40) {
    problems.add("priorityClasses.prefix", prefix, "use a short DNS label (at most 40 characters) such as \"mlp\"");
  } else if (prefix === "system" || prefix.startsWith("system-")) {
    // The API server refuses PriorityClass names starting with "system-" (Kubernetes keeps them for itself).
    problems.add("priorityClasses.prefix", prefix, 'use a prefix that does not make the names start with "system-" (Kubernetes keeps those), such as "mlp"');
  }
  const values: Record<WorkloadClass, number> = {
    serving: pc.servingValue ?? DEFAULT_PRIORITY_VALUES.serving,
    notebooks: pc.notebooksValue ?? DEFAULT_PRIORITY_VALUES.notebooks,
    training: pc.trainingValue ?? DEFAULT_PRIORITY_VALUES.training,
    placeholder: DEFAULT_PRIORITY_VALUES.placeholder,
  };
  for (const workload of WORKLOAD_CLASSES) {
    const value = values[workload];
    const min = workload === WorkloadClass.Placeholder ? MIN_USER_PRIORITY : 0;
    if (!Number.isInteger(value) || value < min || value > MAX_USER_PRIORITY) {
      problems.add(`priorityClasses.${workload}Value`, value, `use a whole number from ${min} to ${MAX_USER_PRIORITY}`);
    }
  }
  problems.throwIfAny();

  return {
    namespaces,
    ...(certManagerEnabled
      ? { certManager: { namespace: certManagerNamespace, version: certManagerVersion, replicas: certManagerReplicas } }
      : {}),
    priorityClasses: priorityClassSpecs(prefix, values),
  };
}
