// etcd for the simulated cluster, built from the same module graph as the Kubernetes binaries so the
// server and the apiserver's etcd client come from one etcd release.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
