package app

import (
	"context"
	"fmt"

	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/report"
)

// Command is a subcommand: pat-check NAME ARGS… runs it with ARGS, and it
// returns the exit code.
type Command func(ctx context.Context, args []string, env frontend.Getenv, stdio frontend.Stdio) int

// commands are pat-check's subcommands, which Main routes before the check
// itself (pat-check --help lists them): version (or --version), needs, and
// demo when the binary hands one in (World.Demo). Package demo runs its
// scenarios through Main, so app cannot import it; a release binary hands
// in the one that says where the demo is.
func commands(w World) map[string]Command {
	version := func(_ context.Context, _ []string, _ frontend.Getenv, stdio frontend.Stdio) int {
		fmt.Fprintln(stdio.Out, VersionLine())
		return report.ExitPass
	}
	cs := map[string]Command{
		"version":   version,
		"--version": version,
		"needs": func(ctx context.Context, args []string, _ frontend.Getenv, stdio frontend.Stdio) int {
			return needsMain(ctx, args, ".", needsStdio(stdio, w))
		},
	}
	if w.Demo != nil {
		cs["demo"] = w.Demo
	}
	return cs
}
