/**
 * Notebooks: `NotebookPlatform` (the Kubeflow notebook controller, per-team PodDefaults, catalog and RBAC),
 * `NotebookAccess` (signed-in access from outside the cluster) and `notebookFor` (a team's Notebook and its
 * workspace). Controller settings, the router's configuration, the plan and the validators stay inside
 * this folder.
 */
export { DEFAULT_NOTEBOOK_IMAGES, DEFAULT_NOTEBOOK_SIZES, type NotebookImage, type NotebookSize } from "./catalog.js";
export { NOTEBOOK_ACCESS_NAMESPACE, NotebookAccess, type NotebookAccessArgs } from "./notebook-access.js";
export {
  NOTEBOOK_CATALOG_CONFIG_MAP,
  NotebookPlatform,
  type NotebookCullingArgs,
  type NotebookPlatformArgs,
  type NotebookTeamArgs,
} from "./notebook-platform.js";
export { type RouterTeam } from "./notebook-router.js";
export {
  NOTEBOOK_CONTROLLER_DEPLOYMENT,
  NOTEBOOK_CONTROLLER_NAMESPACE,
  notebookFor,
  PODDEFAULTS_WEBHOOK_NAMESPACE,
  type GatewayContext,
  type NotebookGpuPool,
  type NotebookRequest,
} from "./notebook-spec.js";
export { type Notebook, type ObjectMeta as NotebookObjectMeta } from "./types.js";
