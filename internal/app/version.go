package app

import "runtime/debug"

// version is set at build time with -ldflags "-X github.com/pat-check/pat-check/internal/app.version=v1.2.3".
var version = ""

// Version is the build's version: the injected one, else the module
// version Go recorded, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
