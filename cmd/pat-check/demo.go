//go:build !nodemo

package main

import (
	"context"
	"time"

	"github.com/pat-check/pat-check/internal/app"
	"github.com/pat-check/pat-check/internal/demo"
	"github.com/pat-check/pat-check/internal/frontend"
)

// runDemo runs the demo against the simulated APIs. Release binaries are
// built with the nodemo tag and leave it out (demo_off.go). The demo's
// tokens expire relative to this clock.
func runDemo(ctx context.Context, args []string, env frontend.Getenv, stdio frontend.Stdio) int {
	return demo.Run(ctx, args, env, stdio, demo.Host{Now: time.Now, Version: app.Version()})
}
