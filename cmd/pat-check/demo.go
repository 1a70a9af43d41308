//go:build !nodemo

package main

import (
	"context"

	"github.com/pat-check/pat-check/internal/demo"
	"github.com/pat-check/pat-check/internal/frontend"
)

// runDemo runs the demo against the simulated APIs. Release binaries are
// built with the nodemo tag and leave it out (demo_off.go).
func runDemo(ctx context.Context, args []string, env frontend.Getenv, stdio frontend.Stdio) int {
	return demo.Run(ctx, args, env, stdio)
}
