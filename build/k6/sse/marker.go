package sse

import "os"

// A script cannot ask k6 whether an extension is there: importing a missing k6/x module fails
// the whole test. So this build says so in the environment, which k6 passes to __ENV, and
// lib/sse-session.ts imports k6/x/sse only when K6_X_SSE is 1.
func init() {
	_ = os.Setenv("K6_X_SSE", "1")
}
