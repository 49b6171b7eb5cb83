/**
 * Typed shapes of Kubeflow's notebook custom resources, from their CRDs (kubeflow/notebooks v1.11.0,
 * kubeflow/dashboard v2.0.0), so a misspelled field fails to compile. Pod fields reuse the upstream core
 * types from `kubernetes-models`.
 */
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IEnvFromSource } from "kubernetes-models/v1/EnvFromSource";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";

export interface ObjectMeta {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** `kubeflow.org/v1` Notebook: a Jupyter server the notebook controller runs as a StatefulSet. */
export interface Notebook {
  apiVersion: "kubeflow.org/v1";
  kind: "Notebook";
  metadata: ObjectMeta;
  spec: {
    template: {
      /** Containers need a name and an image; the first container is the notebook server. */
      spec: IPodSpec & { containers: Array<IContainer & { image: string }> };
    };
  };
}

/** `kubeflow.org/v1alpha1` PodDefault: what the admission webhook injects into pods matching `selector`. */
export interface PodDefault {
  apiVersion: "kubeflow.org/v1alpha1";
  kind: "PodDefault";
  metadata: ObjectMeta;
  spec: {
    selector: { matchLabels?: Record<string, string> };
    /** Shown in the notebook UI's configuration list. */
    desc?: string;
    env?: IEnvVar[];
    envFrom?: IEnvFromSource[];
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    tolerations?: IToleration[];
    volumes?: IVolume[];
    volumeMounts?: IVolumeMount[];
    automountServiceAccountToken?: boolean;
    serviceAccountName?: string;
  };
}
