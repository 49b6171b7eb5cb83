/**
 * The package as a Pulumi plugin, for programs in other languages (`pulumi package get-schema`, `gen-sdk`,
 * `add`). `componentProviderHost` derives the package schema from the components' source, their args
 * interfaces and outputs with their doc comments (hence args every language can express: no unions, no
 * `Omit<>`), and constructs a component when another language's program asks for one.
 *
 * Started by `pulumi-resource-mlops-platform` beside package.json (see PulumiPlugin.yaml); never imported
 * by the library, since importing it starts the provider's server.
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { componentProviderHost, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/index.js";
import { TYPE_TOKEN_PREFIX } from "./common/component.js";
import * as library from "./index.js";

// The schema's package name is the first part of every component's type token (`mlops-platform:index:Team`).
const name = TYPE_TOKEN_PREFIX.split(":")[0]!;
// The analyzer reads the sources from the package's folder: its tsconfig.json, package.json and src/.
const dirname = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// Every component the package exports (GatewayTeam, a dynamic resource of the Node.js program, is none).
await componentProviderHost({ name, dirname, components: getPulumiComponents(library) });
