package app

import (
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X github.com/pat-check/pat-check/internal/app.version=v1.2.3".
var version = ""

// Version is the build's version: the injected one, else the module
// version Go recorded (go install …@vX, or a pseudo-version for a build
// from a clone), else "dev".
func Version() string {
	bi, _ := debug.ReadBuildInfo()
	return versionOf(bi, version)
}

// VersionLine is what `pat-check version` prints: the version, then the
// commit, its time and whether the tree was modified, as the build info
// recorded them, and the Go version.
func VersionLine() string {
	bi, _ := debug.ReadBuildInfo()
	return describe(bi, version)
}

func versionOf(bi *debug.BuildInfo, injected string) string {
	if injected != "" {
		return injected
	}
	if bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func describe(bi *debug.BuildInfo, injected string) string {
	line := "pat-check " + versionOf(bi, injected)
	if bi == nil {
		return line
	}
	var extra []string
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		// "built from": a release's tag points at the release commit, made
		// on top of this one after the build (it adds the checksums).
		extra = append(extra, "built from commit "+rev)
	}
	if t := settings["vcs.time"]; t != "" {
		extra = append(extra, t)
	}
	if settings["vcs.modified"] == "true" {
		extra = append(extra, "modified")
	}
	if bi.GoVersion != "" {
		extra = append(extra, "built with "+bi.GoVersion)
	}
	if len(extra) > 0 {
		line += " (" + strings.Join(extra, ", ") + ")"
	}
	return line
}
