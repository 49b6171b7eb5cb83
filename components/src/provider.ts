/**
 * The package as a Pulumi plugin, for programs in other languages (`pulumi package get-schema`, `gen-sdk`,
 * `add`). The component provider derives the package schema from the components' source, their args
 * interfaces and outputs with their doc comments (hence args every language can express: no unions, no
 * `Omit<>`), and constructs a component when another language's program asks for one.
 *
 * Started by `pulumi-resource-mlops-platform` beside package.json (see PulumiPlugin.yaml); never imported
 * by the library, since importing it starts the provider's server.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/index.js";
import { main } from "@pulumi/pulumi/provider/index.js";
import { TYPE_TOKEN_PREFIX } from "./common/component.js";
import * as library from "./index.js";

/**
 * The derived schema, with the options the SDK generators need. Go: every arg is plain (the args are plain
 * interfaces), and Pulumi's Go generator then refers to input types of plain object lists
 * (`[]GpuSharingArgsArgs`) that it only writes with `generateExtraInputTypes`; without it the Go SDK does
 * not compile.
 */
class PlatformProvider extends ComponentProvider {
  override async getSchema(): Promise<string> {
    const schema = JSON.parse(await super.getSchema()) as { language?: Record<string, Record<string, unknown>> };
    schema.language = { ...schema.language, go: { ...schema.language?.["go"], generateExtraInputTypes: true } };
    return JSON.stringify(schema);
  }
}

// The schema's package name is the first part of every component's type token (`mlops-platform:index:Team`).
const name = TYPE_TOKEN_PREFIX.split(":")[0]!;
// The analyzer reads the sources from the package's folder: its tsconfig.json, package.json and src/.
const dirname = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Every component the package exports (GatewayTeam, a dynamic resource of the Node.js program, is none).
await main(new PlatformProvider({ name, dirname, components: getPulumiComponents(library) }), process.argv.slice(2));
