package app

import (
	"runtime/debug"
	"testing"
)

// A build from source says which commit it is; go install …@vX
// gives the module version; -X still wins.
func TestVersionLineReadsTheBuildInfo(t *testing.T) {
	t.Parallel()
	source := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-11-30T10:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	for _, tt := range []struct {
		bi       *debug.BuildInfo
		injected string
		want     string
	}{
		{source, "", "pat-check dev (built from commit 0123456789ab, 2026-11-30T10:00:00Z, modified, built with go1.26.0)"},
		{&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.4.0"}}, "", "pat-check v1.4.0 (built with go1.26.0)"},
		{source, "v1.2.3", "pat-check v1.2.3 (built from commit 0123456789ab, 2026-11-30T10:00:00Z, modified, built with go1.26.0)"},
		{nil, "", "pat-check dev"},
	} {
		if got := describe(tt.bi, tt.injected); got != tt.want {
			t.Errorf("describe = %q, want %q", got, tt.want)
		}
	}
}
