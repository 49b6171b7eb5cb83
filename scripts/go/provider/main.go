// The Pulumi Kubernetes provider plugin, built from its Go module. The upstream main embeds schema and
// mapping files that its module zip does not contain (they are generated before a release); scripts/build
// writes them next to this file from the zip's schema.json and terraform-mapping.json.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
)

// version is set at link time (-X main.version=...) to the release this code is, so the engine matches
// the plugin with the SDK's requests for that version.
var version = "0.0.0-dev"

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version, pulumiSchema, terraformMapping)
}
