package check

import (
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/token"
)

// noIssuer is a platform that adds nothing of its own: the neutral rules
// alone decide.
type noIssuer struct{}

func (noIssuer) Rejected(Facts) (string, string)               { return "rejected", "401" }
func (noIssuer) EvalScopes(*Outcome, Requirements, Facts)      {}
func (noIssuer) EvalScopeExcess(*Outcome, Requirements, Facts) {}
func (noIssuer) EvalKindAdvice(*Outcome, Requirements, Facts)  {}
func (noIssuer) PermissionVerdicts(Facts) []PermissionVerdict  { return nil }
func (noIssuer) NotFoundCauses(Facts) string                   { return "causes" }

var dayNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Days are counted one way everywhere: whole days, rounded down each way.
func TestDaysAreWholeDaysRoundedDown(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		at   time.Duration
		want int
		ago  string
	}{
		{60 * time.Hour, 2, ""}, {23 * time.Hour, 0, ""}, {-2 * time.Hour, 0, "less than a day ago"},
		{-25 * time.Hour, -1, "1 day ago"}, {-60 * time.Hour, -2, "2 days ago"}, {-72 * time.Hour, -3, "3 days ago"},
	} {
		if got := daysLeft(dayNow.Add(tt.at), dayNow); got != tt.want {
			t.Errorf("daysLeft(dayNow%+v) = %d, want %d", tt.at, got, tt.want)
		}
		if tt.ago != "" && ago(daysLeft(dayNow.Add(tt.at), dayNow)) != tt.ago {
			t.Errorf("ago(dayNow%+v) = %q, want %q", tt.at, ago(daysLeft(dayNow.Add(tt.at), dayNow)), tt.ago)
		}
	}
	o := Evaluate(noIssuer{}, Requirements{MinDaysLeft: 1, WarnDaysLeft: 14}, token.Inspection{Kind: token.Classic},
		Facts{Kind: token.Classic, Checked: true, Accepted: true, Expiry: Expiry{Known: true, At: dayNow.Add(-60 * time.Hour)}}, dayNow)
	if len(o.Findings) == 0 || !strings.HasSuffix(o.Findings[0].Message, ", 2 days ago") {
		t.Errorf("the expired message does not say how long ago: %+v", o.Findings)
	}
}
