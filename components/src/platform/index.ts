/**
 * Platform: `MlPlatform`, every capability composed from one set of args, and `checkMlPlatformArgs`, the
 * same checks without creating anything.
 */
export { checkMlPlatformArgs, MlPlatform } from "./ml-platform.js";
export {
  type GpuPoolPlacement,
  type MlPlatformArgs,
  type MlPlatformCatalogArgs,
  type MlPlatformDataCatalogArgs,
  type MlPlatformGatewayArgs,
  type MlPlatformGatewayDatabaseArgs,
  type MlPlatformGatewayTeamArgs,
  type MlPlatformGpuArgs,
  type MlPlatformModelMonitorArgs,
  type MlPlatformMonitoringArgs,
  type MlPlatformNotebookAccessArgs,
  type MlPlatformNotebookArgs,
  type MlPlatformTrainingArgs,
} from "./args.js";
