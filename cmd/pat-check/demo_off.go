//go:build nodemo

package main

import (
	"context"
	"fmt"

	"github.com/pat-check/pat-check/internal/app"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/report"
)

// runDemo, in a release binary: the demo carries simulated GitHub and Azure
// DevOps servers (about 0.6 MB), which a job never runs, and release
// binaries stay under 10 MB without them. It says where the demo is.
func runDemo(_ context.Context, _ []string, _ frontend.Getenv, stdio frontend.Stdio) int {
	fmt.Fprintf(stdio.Err, "pat-check demo: release binaries leave the demo out (its simulated GitHub and Azure DevOps servers would take them over 10 MB); run it from source with Go installed:\n  go run github.com/pat-check/pat-check/cmd/pat-check@%s demo\n", demoVersion(app.Version()))
	return report.ExitConfig
}

// demoVersion is the module version to run the demo at: this binary's
// release (v1.2.3), or latest for a build that names none.
func demoVersion(v string) string {
	if len(v) > 1 && v[0] == 'v' && v[1] >= '0' && v[1] <= '9' {
		return v
	}
	return "latest"
}
