// Package finding holds the domain vocabulary every other package speaks:
// the finding codes of the contract, their severities, and the Finding value
// that travels from the checks through the guidance to the report.
//
// Findings are data, not Go errors: a missing scope is a result of a check,
// while a failed HTTP call is an error that a provider package turns into an
// api-error finding.
package finding

import (
	"fmt"
	"strconv"
	"strings"
)

// Code is a machine-readable finding code. The set is fixed by the contract:
// codes are added, never renamed.
type Code string

// The finding codes of the contract.
const (
	ConfigInvalid            Code = "config-invalid"
	TokenMissing             Code = "token-missing"
	TokenUnexpanded          Code = "token-unexpanded"
	TokenMalformed           Code = "token-malformed"
	TokenTypeDisallowed      Code = "token-type-disallowed"
	TokenInvalid             Code = "token-invalid"
	TokenExpired             Code = "token-expired"
	TokenExpiring            Code = "token-expiring"
	TokenExpiryWarning       Code = "token-expiry-warning"
	TokenNoExpiration        Code = "token-no-expiration"
	TokenExpiryUnknown       Code = "token-expiry-unknown"
	ScopeMissing             Code = "scope-missing"
	PermissionMissing        Code = "permission-missing"
	PermissionUnverified     Code = "permission-unverified"
	ScopeUnverified          Code = "scope-unverified"
	RepositoryInaccessible   Code = "repository-inaccessible"
	SSOAuthorizationRequired Code = "sso-authorization-required"
	OrganizationPolicy       Code = "organization-policy"
	RateLimited              Code = "rate-limited"
	APIError                 Code = "api-error"

	// OrganizationInaccessible is pat-check's addition to the contract's
	// codes: a listed organization does not exist or is not visible to the
	// token.
	OrganizationInaccessible Code = "organization-inaccessible"

	// The least-privilege and best-practice codes of the second release.
	ScopeExcess          Code = "scope-excess"
	PermissionExcess     Code = "permission-excess"
	TokenLifetimeTooLong Code = "token-lifetime-too-long"
	TokenKindAdvice      Code = "token-kind-advice"
	TokenCommitted       Code = "token-committed"
	// WorkspaceIncomplete (warning) is pat-check's addition: the search of
	// the workspace did not look everywhere (entries it could not read, a
	// budget or the timeout that ran out), so "the token is in none" would
	// not be known.
	WorkspaceIncomplete Code = "workspace-incomplete"
	// RequirementsInferred (notice): infer found the requirements; the
	// message lists each with the step and line that needs it.
	RequirementsInferred Code = "requirements-inferred"
	// RequirementUnknown (notice): steps using the token whose needs cannot
	// be known from the file.
	RequirementUnknown Code = "requirement-unknown"
	// ScopeAssumed (notice) is pat-check's addition: a required scope is
	// granted only through an implication GitHub's docs do not state (a
	// box nested under another on the token page); the message names it.
	ScopeAssumed Code = "scope-assumed"

	// Cancelled is in the contract's additions: the run was stopped by
	// SIGTERM or SIGINT. Inconclusive, and an error whatever on-api-error
	// says.
	Cancelled Code = "cancelled"

	// ReportUnwritten is pat-check's addition: the JSON report could not be
	// written to report-path. The job asked for the file, so the run does
	// not pass without it.
	ReportUnwritten Code = "report-unwritten"

	// TokenUnused is pat-check's addition (notice, best practice): a token
	// checked with the tokens input whose name no workflow or pipeline of
	// the repository uses.
	TokenUnused Code = "token-unused"
)

// Severity is how much a finding weighs on the verdict.
type Severity string

// The severities of the contract.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Notice  Severity = "notice"
)

// Finding is one thing pat-check learned about the token.
//
// Message says what is wrong and why; Fix and URL say how to put it right and
// are filled in by the guide package, next to the failure.
type Finding struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
	// Steps are Fix's numbered steps, one string each, without their
	// numbers, for machines. A step's first line is prose; any further
	// lines are a block to copy as is (YAML, a command).
	Steps []string `json:"steps,omitempty"`
	URL   string   `json:"url,omitempty"`
	// Token is the name of the token the finding is about, in a run that
	// checks several tokens (the tokens input); empty otherwise.
	Token string `json:"token,omitempty"`

	// About says what the finding is about, as typed data set where the
	// fact was learned, so that guidance never reads a message. It is not
	// part of the JSON report.
	About About `json:"-"`
}

// About is what a finding is about. Each code fills the fields that apply
// to it; the rest stay empty.
type About struct {
	// Scopes are the classic, OAuth or Azure DevOps scopes the finding
	// names (missing, unverified).
	Scopes []string
	// Permissions are fine-grained permissions (name:level) the finding
	// names (missing, unverified).
	Permissions []string
	// Target is where Permissions were checked: owner/name, an
	// organization login, or the account's login.
	Target string
	// Repository is owner/name of the repository the finding is about.
	Repository string
	// Organization is the login of the organization the finding is about.
	Organization string
	// TokenKinds are the kinds the job allows (token-type-disallowed).
	TokenKinds []string
	// RefreshToken: the token is a GitHub App refresh token (ghr_), which
	// no API accepts, refused before it is sent (token-type-disallowed).
	RefreshToken bool
	// AuthorizationURL is the SAML SSO authorization URL the server sent.
	// It came from the network: guidance links it only when it is on the
	// server's own host.
	AuthorizationURL string
	// Policy is the organization policy that refused the token, and
	// PolicyURL the settings page the server named with it (from the
	// network, like AuthorizationURL).
	Policy    Policy
	PolicyURL string
	// Reference is the unexpanded variable reference the token's value
	// is ($(GH_PAT)): a name, shown as it is.
	Reference string
	// Excess are the scopes (classic, OAuth, Azure DevOps) or permissions
	// (name:level) granted beyond what the job requires (scope-excess,
	// permission-excess); Needed is what the job does need, in the same
	// form, and Replace the required scopes that an excess scope implied
	// (unticking the parent unticks them, so they are ticked again).
	Excess  []string
	Needed  []string
	Replace []string
	// Equivalents are the fine-grained permissions (name:level) a classic
	// token's required scopes correspond to, and NoEquivalent the required
	// scopes that have none, each with why (token-kind-advice).
	Equivalents  []string
	NoEquivalent []string
	// MaxDays is max-days-left, and DaysLeft the token's whole days left
	// (nil when it never expires) (token-lifetime-too-long).
	MaxDays  int
	DaysLeft *int
	// PolicyMessage is GitHub's own words for an organization's lifetime
	// policy, when GitHub reported one.
	PolicyMessage string
	// Unprobed are the permissions (name:level) beyond the required ones
	// that no safe request can probe, as the probe table says
	// (permission-excess).
	Unprobed []string
	// Implied are the implications a requirement was met through that the
	// issuer's docs do not state, as "parent includes child"
	// (scope-assumed).
	Implied []string
	// Places locate a committed token, every file and line where it was
	// found (token-committed).
	Places []Place
}

// Place is where a committed token was found: a file of the workspace and
// a line, and whether it was an encoded form of the value.
type Place struct {
	File    string
	Line    int
	Encoded bool
}

// String is the place as an editor takes it: file:line.
func (p Place) String() string { return p.File + ":" + strconv.Itoa(p.Line) }

// Policy is a kind of organization policy on personal access tokens.
type Policy int

// The policies GitHub enforces on personal access tokens.
const (
	// PolicyOther is a refusal whose policy is not recognised.
	PolicyOther Policy = iota
	// PolicyLifetime: the organization limits a fine-grained token's lifetime.
	PolicyLifetime
	// PolicyNoClassic: the organization refuses personal access tokens (classic).
	PolicyNoClassic
	// PolicyNoFineGrained: the organization refuses fine-grained tokens.
	PolicyNoFineGrained
)

// State is the outcome of one row in the table of checks.
type State string

// The states of a check row.
const (
	Pass    State = "pass"
	Warn    State = "warn"
	Fail    State = "fail"
	Skipped State = "skipped"
	Unknown State = "unknown"
	// Noted is a check that passed with advice beside it (access beyond
	// what the job needs, reported as a notice): not a problem, not ✓.
	Noted State = "notice"
)

// Check is one row of the table of checks in the summary and the report.
type Check struct {
	Name   string `json:"name"`
	State  State  `json:"state"`
	Detail string `json:"detail,omitempty"`
}

// PermissionCell is one cell of the permission × target table.
type PermissionCell struct {
	// Permission is name:level, e.g. contents:write.
	Permission string `json:"permission"`
	// Target is owner/repo, an organization, or the account's login.
	Target string    `json:"target"`
	State  CellState `json:"state"`
	Detail string    `json:"detail,omitempty"`
}

// CellState is the outcome of one permission on one target, as the report's
// permission table shows it.
type CellState string

// The states of a permission cell.
const (
	CellGranted     CellState = "granted"
	CellPublic      CellState = "public" // readable by anyone: proves nothing of the grant
	CellMissing     CellState = "missing"
	CellUnverified  CellState = "unverified"
	CellUnreachable CellState = "unreachable"
	CellUnknown     CellState = "unknown"
)

// SplitSteps reads a fix written as numbered steps ("1. …") back into its
// steps, without their numbers; the indented lines that follow a step's
// first line (a block to copy) stay with it, their common indentation
// removed. A fix that is not numbered is one step.
func SplitSteps(fix string) []string {
	var steps []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			steps = append(steps, strings.Join(cur, "\n"))
		}
		cur = nil
	}
	for _, line := range strings.Split(fix, "\n") {
		if rest, ok := stepStart(line); ok {
			flush()
			cur = []string{rest}
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if cur == nil {
			cur = []string{strings.TrimSpace(line)}
			continue
		}
		cur = append(cur, line)
	}
	flush()
	for i, st := range steps {
		lines := strings.Split(st, "\n")
		if len(lines) < 2 {
			continue
		}
		ind := -1
		for _, l := range lines[1:] {
			n := len(l) - len(strings.TrimLeft(l, " "))
			if ind < 0 || n < ind {
				ind = n
			}
		}
		for j := 1; j < len(lines); j++ {
			lines[j] = lines[j][ind:]
		}
		steps[i] = strings.Join(lines, "\n")
	}
	return steps
}

// stepStart reports whether line starts a numbered step ("12. text").
func stepStart(line string) (string, bool) {
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i == 0 || !strings.HasPrefix(line[i:], ". ") {
		return "", false
	}
	return line[i+2:], true
}

// Clip cuts s to at most n runes, marking the cut: how every message cuts
// text it quotes (a server's words, a workflow's step), never inside a
// character.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// Cut cuts s to at most n runes without marking the cut: for a field with
// a length limit (a token's name on its creation page), where a mark would
// take a character of its own.
func Cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// MaxQuoted is the most characters of a value a message quotes.
const MaxQuoted = 60

// Quote quotes a value given by the user for a message, as %q does, cut to
// MaxQuoted characters with its length said when it is longer: a message
// echoes what was typed, and a 120 KB value must not make a 1 MB log.
func Quote(v string) string {
	r := []rune(v)
	if len(r) <= MaxQuoted {
		return strconv.Quote(v)
	}
	return fmt.Sprintf("%s… (%d characters)", strconv.Quote(string(r[:MaxQuoted])), len(r))
}
