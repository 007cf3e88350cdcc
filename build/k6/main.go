// Command k6 is k6 built from a pinned module, so the project never downloads a
// release binary. Extensions go here as blank imports, e.g.
//
//	_ "github.com/grafana/xk6-output-influxdb"
//
// followed by `go get` of that module, which records it in go.sum.
package main

import "go.k6.io/k6/v2/cmd"

func main() {
	cmd.Execute()
}
