package check

import (
	"slices"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// Outcome is the verdict material: findings without fixes (the guide adds
// them), the rows of the table of checks, and the derived values the outputs
// and the report carry.
type Outcome struct {
	Findings     []finding.Finding
	Checks       []finding.Check
	ExpiresAt    *time.Time
	DaysLeft     *int
	ExpirySource string // "api", "declared", "token-list" or ""
	// Missing lists missing scopes and permissions as the missing output
	// shows them: scope, or permission:level@target.
	Missing []string
	// Excess lists access granted beyond what is required, in the form of
	// Missing: scope, or permission:level@target.
	Excess []string
	// Permissions are the cells of the permission × target table.
	Permissions []finding.PermissionCell
	// Inferred are the steps that need the inferred requirements, when
	// they were read from the workflow or pipeline (Requirements.Inferred).
	Inferred []InferredStep

	verdicts verdicts
}

// Blocked reports whether the token must not be sent to any API: it failed
// an offline check, or its kind is not allowed.
func Blocked(req Requirements, insp token.Inspection) bool {
	return len(insp.Problems) > 0 || !kindAllowed(req.TokenTypes, insp.Kind)
}

func kindAllowed(allowed []token.Kind, k token.Kind) bool {
	return len(allowed) == 0 || slices.Contains(allowed, k)
}

// Evaluate decides. It never looks at the token itself, only at what was
// learned about it, so nothing here can leak it. Each rule lives in a file
// of its own (rule_*.go); this is the list of them, in the order their rows
// appear in the table of checks.
//
// iss is the issuing platform's knowledge (its catalogue, its verdicts, its
// words), which the rules ask instead of naming a platform.
func Evaluate(iss Issuer, req Requirements, insp token.Inspection, facts Facts, now time.Time) Outcome {
	var o Outcome
	o.evalRules(iss, req, insp, facts, now)
	// Last: the rows of the inferred requirements read the rules' verdicts.
	o.evalInferred(req.Inferred, facts.Accepted)
	return o
}

func (o *Outcome) evalRules(iss Issuer, req Requirements, insp token.Inspection, facts Facts, now time.Time) {
	o.evalOffline(req, insp)
	o.evalCommitted(facts)
	if !facts.Checked {
		o.add(finding.Check{Name: "Accepted by the API", State: finding.Skipped, Detail: "not asked: the token failed an offline check"})
		o.evalDeclaredOnly(req, now)
		return
	}
	o.evalAcceptance(iss, req, facts)
	if !facts.Accepted {
		return
	}
	iss.EvalScopes(o, req, facts)
	o.evalExpiry(req, facts, now)
	o.evalResources(iss, req, facts)
	o.evalPermissions(iss, req, facts)
	o.evalExcess(iss, req, facts)
	o.evalLifetime(iss, req, facts, now)
	iss.EvalKindAdvice(o, req, facts)
}

func (o *Outcome) add(c finding.Check) { o.Checks = append(o.Checks, c) }

// find records a finding once: the same code about the same thing with the
// same message is one finding, however many probes led to it.
func (o *Outcome) find(f finding.Finding) {
	for _, have := range o.Findings {
		if have.Code == f.Code && have.Message == f.Message && have.About.Organization == f.About.Organization &&
			have.About.Repository == f.About.Repository && have.About.Target == f.About.Target {
			return
		}
	}
	o.Findings = append(o.Findings, f)
}
