/**
 * The curated notebook images and size presets a team chooses from.
 */

/** A notebook image the platform offers. */
export interface NotebookImage {
  /** Short name a user picks, e.g. `jupyter-pytorch-cuda`. */
  name: string;
  /** Full image reference with an exact tag or digest. */
  image: string;
  /** Whether the image carries CUDA (only those make sense on GPU sizes). */
  cuda: boolean;
}

/** Kubeflow's notebook server images, pinned to the release the controller comes from (v1.11.0). */
export const DEFAULT_NOTEBOOK_IMAGES: readonly NotebookImage[] = [
  { name: "jupyter-scipy", image: "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0", cuda: false },
  { name: "jupyter-pytorch-cuda", image: "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-pytorch-cuda:v1.11.0", cuda: true },
  { name: "jupyter-tensorflow-cuda", image: "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-tensorflow-cuda:v1.11.0", cuda: true },
];

/** A notebook size: what the server requests (= limits, so a notebook never starves its neighbours). */
export interface NotebookSize {
  /** Short name a user picks, e.g. `medium`. */
  name: string;
  /** CPU cores. */
  cpu: number;
  /** Memory, GiB. */
  memoryGiB: number;
  /** GPUs; a GPU size runs on a GPU pool meant for notebooks. */
  gpus: number;
}

export const DEFAULT_NOTEBOOK_SIZES: readonly NotebookSize[] = [
  { name: "small", cpu: 1, memoryGiB: 2, gpus: 0 },
  { name: "medium", cpu: 2, memoryGiB: 8, gpus: 0 },
  { name: "large", cpu: 8, memoryGiB: 32, gpus: 0 },
  { name: "gpu-1", cpu: 4, memoryGiB: 24, gpus: 1 },
  { name: "gpu-2", cpu: 8, memoryGiB: 48, gpus: 2 },
];
