package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/finding"
)

// Inference says where the requirements came from when they were read
// from the workflow or pipeline (the infer option) instead of given: the
// steps that need each of them, and the steps whose needs cannot be known.
// Evaluate gives each requirement a row ("Inferred: repo") and says what
// was read in notices (requirements-inferred, requirement-unknown).
type Inference struct {
	// None, when set, is why there was nothing to read (a classic release
	// job has no pipeline YAML): the one notice, no row.
	None string
	// File and Job are where the steps were read (Job empty: every job),
	// Token the secret or variable they use.
	File, Job, Token string
	// Required are the requirements set, in order: one row each.
	Required []Required
	// Steps are the steps that need them, in the file's order.
	Steps []InferredStep
	// Unknowns are the steps using the token whose needs the file does
	// not tell.
	Unknowns []UnknownStep
}

// Required is one required scope or permission: Scope is set for a scope,
// Permission otherwise.
type Required struct {
	Scope      string
	Permission Permission
}

// String names the requirement as the options spell it: repo, or
// contents:write.
func (q Required) String() string {
	if q.Scope != "" {
		return q.Scope
	}
	return q.Permission.String()
}

// InferredStep is a step that needs a requirement, where it is, and the
// rule that told what it needs.
type InferredStep struct {
	Required Required
	Step     string
	File     string
	Line     int
	Rule     string
}

// UnknownStep is a step using the token whose needs cannot be known from
// the file, and why.
type UnknownStep struct {
	Step string
	File string
	Line int
	Why  string
}

// verdicts are what the rules concluded about each required scope and
// permission that was not granted outright, for the rows of the inferred
// requirements.
type verdicts struct {
	missingScopes, unverifiedScopes []string
	missingPerms, unverifiedPerms   []Permission
}

// ScopesMissing records required scopes the token lacks: the missing
// output lists them, and an inferred scope's row fails.
func (o *Outcome) ScopesMissing(scopes []string) {
	o.Missing = append(o.Missing, scopes...)
	o.verdicts.missingScopes = append(o.verdicts.missingScopes, scopes...)
}

// ScopesUnverified records required scopes the API's answers could not
// prove: an inferred scope's row warns.
func (o *Outcome) ScopesUnverified(scopes []string) {
	o.verdicts.unverifiedScopes = append(o.verdicts.unverifiedScopes, scopes...)
}

// state is the row of one inferred requirement: failing when the token
// lacks it, warning when it could not be verified, skipped when the API
// did not accept the token (nothing about it is known), passing otherwise.
func (v verdicts) state(q Required, accepted bool) finding.State {
	var missing, unverified bool
	if q.Scope != "" {
		missing, unverified = slices.Contains(v.missingScopes, q.Scope), slices.Contains(v.unverifiedScopes, q.Scope)
	} else {
		missing, unverified = slices.Contains(v.missingPerms, q.Permission), slices.Contains(v.unverifiedPerms, q.Permission)
	}
	switch {
	case missing:
		return finding.Fail
	case !accepted:
		return finding.Skipped
	case unverified:
		return finding.Warn
	}
	return finding.Pass
}

// evalInferred adds what infer read: a row per inferred requirement, first
// in the table, and the notices that say where the requirements came from
// and which steps' needs are unknown.
func (o *Outcome) evalInferred(in *Inference, accepted bool) {
	if in == nil {
		return
	}
	if in.None != "" {
		o.Findings = append(o.Findings, finding.Finding{Code: finding.RequirementUnknown, Severity: finding.Notice, Message: in.None})
		return
	}
	where := in.File
	if in.Job != "" {
		where += ", job " + in.Job
	}
	var rows []finding.Check
	var parts []string
	for _, q := range in.Required {
		var steps []string
		for _, s := range in.Steps {
			if s.Required == q {
				steps = append(steps, fmt.Sprintf("%q at %s:%d (%s)", s.Step, s.File, s.Line, s.Rule))
			}
		}
		rows = append(rows, finding.Check{Name: "Inferred: " + q.String(), State: o.verdicts.state(q, accepted), Detail: "needed by " + strings.Join(steps, "; ")})
		parts = append(parts, fmt.Sprintf("%s (%s)", q, strings.Join(steps, "; ")))
	}
	msg := fmt.Sprintf("infer read %s: the steps using %s need %s", where, in.Token, strings.Join(parts, ", "))
	if len(parts) == 0 {
		msg = fmt.Sprintf("infer read %s: no other step using %s needs a scope or permission pat-check knows, so none is required", where, in.Token)
	}
	o.Checks = append(rows, o.Checks...)
	o.Inferred = in.Steps
	o.Findings = append(o.Findings, finding.Finding{Code: finding.RequirementsInferred, Severity: finding.Notice, Message: msg})
	if len(in.Unknowns) > 0 {
		var us []string
		for _, u := range in.Unknowns {
			us = append(us, fmt.Sprintf("%q at %s:%d: %s", u.Step, u.File, u.Line, u.Why))
		}
		o.Findings = append(o.Findings, finding.Finding{Code: finding.RequirementUnknown, Severity: finding.Notice,
			Message: fmt.Sprintf("the needs of %d step(s) using %s cannot be known from the file, so they are not required: %s; give scopes or permissions to check them", len(in.Unknowns), in.Token, strings.Join(us, "; "))})
	}
}
