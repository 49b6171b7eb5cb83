/**
 * The entry point `pulumi up -s <env>` runs (Pulumi.yaml `main: infra/`): Pulumi calls the default export
 * and takes what it returns as the stack outputs.
 */
import { platformProgram } from "./program.js";

export default () => platformProgram();
