// Package report is the verdict as data: the JSON report of the contract,
// the result and exit code, the output values, and the Markdown and text
// renderings. It is pure; the front-ends write what it renders.
package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
)

// Result is the overall verdict.
type Result string

// The results of the contract.
const (
	Pass  Result = "pass"
	Warn  Result = "warn"
	Fail  Result = "fail"
	Error Result = "error"
)

// Exit codes of the contract, mapped in one place.
const (
	ExitPass         = 0
	ExitFail         = 1
	ExitConfig       = 2
	ExitInconclusive = 3
)

// Report is the JSON report of the contract, plus the table of checks.
type Report struct {
	// Version is pat-check's version (a contract addition).
	Version      string            `json:"version"`
	Provider     string            `json:"provider"`
	TokenType    string            `json:"tokenType"`
	Result       Result            `json:"result"`
	Valid        bool              `json:"valid"`
	Login        string            `json:"login"`
	ExpiresAt    *time.Time        `json:"expiresAt"`
	DaysLeft     *int              `json:"daysLeft"`
	ExpirySource *string           `json:"expirySource"`
	Scopes       []string          `json:"scopes"`
	Missing      []string          `json:"missing"`
	Findings     []finding.Finding `json:"findings"`
	Checks       []finding.Check   `json:"checks"`
	// Permissions is the permission × target table, when permissions were required.
	Permissions []finding.PermissionCell `json:"permissions,omitempty"`
	// Excess lists access granted beyond what is required, in the form of
	// Missing: scope, or permission:level@target.
	Excess []string `json:"excess"`
	// Advice lists the codes of the best-practice findings present
	// (finding.Code.Advice), once each.
	Advice []finding.Code `json:"advice"`
	// Inferred lists the requirements infer found, each with the step
	// that needs it.
	Inferred []Inferred `json:"inferred,omitempty"`
	// Tokens are the tokens of a run that checks several (the tokens
	// input), one entry each; NotChecked the values it left alone.
	Tokens     []TokenReport `json:"tokens,omitempty"`
	NotChecked []Skipped     `json:"notChecked,omitempty"`

	// ConfigInvalid marks a run stopped by invalid options (exit 2).
	ConfigInvalid bool `json:"-"`
}

// Inferred is one requirement infer found and the step that needs it.
type Inferred struct {
	Requirement string `json:"requirement"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Step        string `json:"step"`
	Rule        string `json:"rule"`
}

// Decide sets Result from the findings: any error that is a verdict fails;
// otherwise an inconclusive error is "error"; otherwise any warning warns.
func (r *Report) Decide() {
	r.Result = Pass
	inconclusive, warned, cancelled := false, false, false
	r.Advice = nil
	for _, f := range r.Findings {
		if f.Code.Advice() && !slices.Contains(r.Advice, f.Code) {
			r.Advice = append(r.Advice, f.Code)
		}
		switch {
		case f.Code == finding.ConfigInvalid:
			r.ConfigInvalid = true
		case f.Code == finding.Cancelled:
			cancelled = true
		case f.Severity == finding.Error && f.Code.Inconclusive():
			inconclusive = true
		case f.Severity == finding.Error:
			r.Result = Fail
		case f.Severity == finding.Warning:
			warned = true
		}
	}
	r.noteAdvisedRows()
	switch {
	case r.ConfigInvalid, cancelled:
		// A cancelled run is an error whatever it had found so far: its
		// checks did not finish.
		r.Result = Error
	case r.Result == Fail:
	case inconclusive:
		r.Result = Error
	case warned:
		r.Result = Warn
	}
}

// leastPrivilegeRow is the name of the table's row for access beyond
// what the job needs.
const leastPrivilegeRow = "Least privilege"

// noteAdvisedRows shows the least-privilege row as "notice" when its
// finding is a notice: the check found something to advise, so a ✓ would
// say there was nothing.
func (r *Report) noteAdvisedRows() {
	noticed := slices.ContainsFunc(r.Findings, func(f finding.Finding) bool {
		return (f.Code == finding.ScopeExcess || f.Code == finding.PermissionExcess) && f.Severity == finding.Notice
	})
	for i, c := range r.Checks {
		if noticed && c.Name == leastPrivilegeRow && c.State == finding.Pass {
			r.Checks[i].State = finding.Noted
		}
	}
}

// Aside reports whether f is advice beside a passing verdict: a
// best-practice notice (least privilege, the token's kind) on a run that
// passed, with or without warnings. The log and the annotations give it one
// line; its steps wait in the summary, collapsed.
func (r Report) Aside(f finding.Finding) bool {
	return (r.Result == Pass || r.Result == Warn) && f.Severity == finding.Notice && f.Code.Advice()
}

// ExitCode maps the result to the contract's exit codes.
func (r Report) ExitCode() int {
	switch {
	case r.ConfigInvalid:
		return ExitConfig
	case r.Result == Fail:
		return ExitFail
	case r.Result == Error:
		return ExitInconclusive
	}
	return ExitPass
}

// JSON renders the report, indented, with a final newline.
func (r Report) JSON() []byte {
	if r.Scopes == nil {
		r.Scopes = []string{}
	}
	if r.Missing == nil {
		r.Missing = []string{}
	}
	if r.Findings == nil {
		r.Findings = []finding.Finding{}
	}
	if r.Checks == nil {
		r.Checks = []finding.Check{}
	}
	if r.Excess == nil {
		r.Excess = []string{}
	}
	if r.Advice == nil {
		r.Advice = []finding.Code{}
	}
	if r.ExpiresAt != nil {
		// The same instant as the text and the expires-at output show it:
		// UTC, whole seconds (an API's fractions are noise to a reader).
		t := r.ExpiresAt.UTC().Truncate(time.Second)
		r.ExpiresAt = &t
	}
	// URLs are written as they are: the report is JSON for programs, not
	// HTML, so "&" stays "&" rather than "\u0026".
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		// Every field is a plain value, so this cannot happen; still, a
		// report that says so beats a crash.
		return []byte(`{"result":"error","findings":[]}` + "\n")
	}
	return commandFree(buf.Bytes()) // Encode ends it with a newline
}

// commandFree writes the "[" of "##[" and of "##vso[" (any case) as the
// JSON escape \u005b: the decoded text is the same, and no runner that reads
// the report from a log (--format json) takes it for a command. Both can
// only occur inside JSON strings.
func commandFree(b []byte) []byte {
	low := bytes.ToLower(b)
	var out []byte
	last := 0
	for i := 0; i+2 < len(b); i++ {
		if low[i] != '#' || low[i+1] != '#' {
			continue
		}
		j := i + 2
		if bytes.HasPrefix(low[j:], []byte("vso")) {
			j += 3
		}
		if j < len(b) && b[j] == '[' {
			out = append(append(out, b[last:j]...), `\u005b`...)
			last = j + 1
		}
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// OutputValues returns each output's value by its Action name. Every value
// is a single line.
func (r Report) OutputValues() map[string]string {
	v := map[string]string{
		"result":     string(r.Result),
		"valid":      strconv.FormatBool(r.Valid),
		"token-type": r.TokenType,
		"login":      r.Login,
		"expires-at": "",
		"days-left":  "",
		"scopes":     strings.Join(r.Scopes, ","),
		"missing":    strings.Join(r.Missing, ","),
		"failing":    strings.Join(r.Failing(), ","),
		"expiring":   strings.Join(r.Expiring(), ","),
	}
	if r.ExpiresAt != nil {
		v["expires-at"] = r.ExpiresAt.UTC().Format(time.RFC3339)
	}
	if r.DaysLeft != nil {
		v["days-left"] = strconv.Itoa(*r.DaysLeft)
	}
	for k, s := range v {
		v[k] = singleLine(s)
	}
	return v
}

// singleLine drops line breaks, so that no value can start a line of its own.
func singleLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
