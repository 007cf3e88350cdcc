// Command k6 is k6 built from a pinned module, so the project never downloads a
// release binary. Extensions go here as blank imports; a third-party one also needs
// a `go get` of its module, which records it in go.sum.
package main

import (
	"go.k6.io/k6/v2/cmd"

	_ "agent-sla/build/k6/ledger" // k6/x/ledger: notes every VU adds to and handleSummary reads
	_ "agent-sla/build/k6/sse"    // k6/x/sse: Server-Sent Events with a receive time per event
)

func main() {
	cmd.Execute()
}
