// Package check turns requirements and facts into findings. It is pure: the
// facts were gathered elsewhere (the provider packages), the clock is an
// argument, and the result is data. It holds the rules every platform
// shares; where platforms differ it asks the issuing one (Issuer, which
// the platform packages implement).
package check

import (
	"slices"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// Requirements is what the job needs of the token.
type Requirements struct {
	Scopes            []string
	Permissions       []Permission
	Repositories      []string
	Organizations     []string
	MinDaysLeft       int
	WarnDaysLeft      int
	RequireExpiration bool
	// DeclaredExpiry is the expires-on option: used only when the API cannot
	// tell the expiry.
	DeclaredExpiry *time.Time
	// TokenTypes are the allowed kinds; empty allows any.
	TokenTypes []token.Kind
	// WarnOnAPIError turns inconclusive outcomes into warnings.
	WarnOnAPIError bool
	// Excess is the severity of access granted beyond what is required
	// (scope-excess, permission-excess); "" ignores it.
	Excess finding.Severity
	// MaxDaysLeft is the rotation policy: a token valid for more days (or
	// forever) gets token-lifetime-too-long; 0 is off. LifetimeEnforce
	// makes that an error.
	MaxDaysLeft     int
	LifetimeEnforce bool
	// KindAdvice says when a classic token could be a fine-grained one.
	KindAdvice bool
	// Names spells the options the messages name as the user's front-end
	// writes them.
	Names finding.Namer
	// Inferred says where the scopes or permissions came from when infer
	// read them from the workflow or pipeline; nil when they were given.
	Inferred *Inference
}

// ProbeExcess reports whether permissions that were not required are
// probed to find excess: only when the user asked for excess to weigh
// (warning or error), since it costs requests.
func (r Requirements) ProbeExcess() bool {
	return r.Excess == finding.Warning || r.Excess == finding.Error
}

// ExcessRepository is the one repository on which permissions that were
// not required are probed: the first of repositories.
func (r Requirements) ExcessRepository() string {
	if len(r.Repositories) == 0 {
		return ""
	}
	return r.Repositories[0]
}

// Access is the outcome of reaching one repository or organization.
type Access int

// The possible outcomes of reaching a resource.
const (
	// AccessUnknown: not asked.
	AccessUnknown Access = iota
	// AccessOK: the API answered 200.
	AccessOK
	// AccessNotFound: 404, which GitHub also answers for private resources
	// the token cannot see.
	AccessNotFound
	// AccessSSO: 403 with X-GitHub-SSO: required.
	AccessSSO
	// AccessPolicy: 403 because an organization forbids this kind of token
	// or its lifetime.
	AccessPolicy
	// AccessForbidden: another 403 (e.g. Resource not accessible by …).
	AccessForbidden
	// AccessFailed: the API could not tell (network, 5xx, rate limit).
	AccessFailed
)

// APIProblem is an answer that says nothing about the token: the API could
// not be reached, timed out, was rate-limited or failed.
type APIProblem struct {
	// What names the request, e.g. "GET /user".
	What        string
	RateLimited bool
	// ResetAt is when the rate limit resets, when known.
	ResetAt time.Time
	Message string
}

// Resource is what was learned about one repository or organization.
type Resource struct {
	Name   string // owner/name, or the organization login
	Access Access
	// Private is true when the repository is known to be private.
	Private bool
	// Org is the organization that answered an SSO or policy refusal.
	Org string
	// SSOURL is the authorization URL from X-GitHub-SSO.
	SSOURL string
	// Message is GitHub's own message for a refusal, quoted in findings.
	Message string
	// PolicyURL is the settings URL GitHub gave with a lifetime policy
	// refusal, and PolicyKind the policy GitHub's message names.
	PolicyURL  string
	PolicyKind finding.Policy
	// AcceptedPermissions is the X-Accepted-GitHub-Permissions header of a 403.
	AcceptedPermissions string
	Problem             *APIProblem
}

// Expiry is what the API said about the token's expiry.
type Expiry struct {
	// Known is true when the API answered about expiry at all.
	Known bool
	// Never is true when the token does not expire.
	Never bool
	// At is the expiry time when Known and not Never.
	At time.Time
	// Source is "api" (a header) or "token-list" (the user's token list).
	Source string
	// Note says why the expiry stayed unknown, when it is worth saying.
	Note string
}

// ScopeFact is what was asked about one required Azure DevOps scope: the
// read probe of its area, and the answer. It holds no verdict:
// platform/azdo's ScopeVerdicts decides.
type ScopeFact struct {
	Scope string
	// Probed is false when no probe was sent; NoProbe then says why in
	// the gatherer's terms: "unknown" (pat-check does not know the scope),
	// "no-request" (its area has no read request) or "no-project" (the
	// request needs a project and none was given).
	Probed  bool
	NoProbe string
	// Project is the project the probe read, when it needs one.
	Project string
	// ProbedScope is the scope that gates the probe's request: Scope itself,
	// or a scope Scope includes (the read scope of its area).
	ProbedScope string
	// Write marks a write aimed at an id that cannot exist: 404 when the
	// scope allows it, 401 when it does not.
	Write bool
	// Answer is the probe's answer.
	Answer AzureAnswer
}

// AzureAnswer is an Azure DevOps answer reduced to what verdicts need.
type AzureAnswer struct {
	Status int
	// Problem is an answer that says nothing (network, rate limit, 5xx).
	Problem *APIProblem
	// SignIn is a fed-auth sign-in page (a 203, or HTML where JSON belongs).
	SignIn bool
	// PlainRefusal is the bare 401 (no body, no type key) with which a
	// scope-gated endpoint refuses a token that lacks the scope.
	PlainRefusal bool
	// TokenRefused is a 401 that refuses the token itself, not a scope: a
	// TF400813 naming the anonymous user ('' or the aaaaaaaa-… id), or the
	// "has expired" answer.
	TokenRefused bool
	Message      string
}

// ScopeVerdict is the decision on one required Azure DevOps scope.
type ScopeVerdict struct {
	Scope   string
	State   PermissionState
	Reason  string
	Problem *APIProblem
}

// Facts is everything gathered about the token.
type Facts struct {
	Kind token.Kind
	// Platform is the platform whose API answered.
	Platform Platform
	// Checked is true when the API was asked (false after an offline failure).
	Checked bool
	// Invalid is true when the API rejected the credentials (401).
	Invalid bool
	// InvalidMessage is the API's message for the rejection.
	InvalidMessage string
	// Expired is true when the API said the token has expired.
	Expired bool
	// Accepted is true when the API accepted the token.
	Accepted bool
	Login    string
	// ScopesKnown is true when the granted scopes were told: X-OAuth-Scopes
	// (GitHub), x-vss-token-scopes or the token list (Azure DevOps).
	ScopesKnown bool
	Scopes      []string
	// ScopeProbes are Azure DevOps read probes, used when the scopes are not told.
	ScopeProbes []ScopeFact
	Expiry      Expiry
	// InstallationRepositories is the first page of what an installation
	// token may reach; InstallationRepositoryCount is the total.
	InstallationRepositories    []string
	InstallationRepositoryCount int
	Repositories                []Resource
	Organizations               []Resource
	// Permissions are the probed fine-grained permissions, in the order of
	// the requirements, target by target.
	Permissions []PermissionFact
	// Problems are answers from which nothing could be concluded.
	Problems []APIProblem
	// ExcessPermissions are the probes of repository permissions (and
	// levels) that were not required, on Requirements.ExcessRepository,
	// sent only when Requirements.ProbeExcess.
	ExcessPermissions []PermissionFact
	// ExcessUnprobed are the repository permissions and levels beyond the
	// required ones that the probe table has no safe request for: held or
	// not, only the token's page tells.
	ExcessUnprobed []Permission
	// Workspace is what the search of the workspace for the token found;
	// nil when no search was asked for.
	Workspace *WorkspaceScan
}

// WorkspaceScan is the outcome of searching the checked-out files for the
// token's value and its encoded forms.
type WorkspaceScan struct {
	// Dir is the directory searched, as given.
	Dir string
	// Matches are the places the token was found: never the value.
	Matches []WorkspaceMatch
	// Files and Bytes are what was read; Skipped the binary files passed over.
	Files   int
	Bytes   int64
	Skipped int
	// Unreadable are the entries (files, directories) that could not be
	// read: what they hold was not searched. Special are the devices,
	// FIFOs and sockets passed over without being opened.
	Unreadable int
	Special    int
	// Exceeded names the budget that ran out ("bytes" or "time"), with the
	// budget's size; empty when the whole tree was searched.
	Exceeded    string
	BudgetBytes int64
	BudgetTime  time.Duration
	// Error is why the search could not run at all.
	Error string
}

// WorkspaceMatch is one file and line holding the token or an encoded form.
type WorkspaceMatch struct {
	// File is the path relative to the searched directory, with slashes.
	File string
	Line int
	// Encoded is true when the match is an encoded form (base64, …) of the
	// token rather than the value itself.
	Encoded bool
}

// PermissionFact is what was asked about one permission on one target, and
// what the API answered: the probes sent and their answers. It holds no
// verdict: the platform's Issuer.PermissionVerdicts decides.
type PermissionFact struct {
	Permission Permission
	// Target is owner/repo, an organization login, or "" for the account.
	Target string
	// Probe is the permission's own probe at its level; nil when the probe
	// table has none (NoProbe says why). A probe whose answer could prove
	// nothing for this kind of token (see ProvesByMissingID) is recorded
	// but not sent: its Answer is empty.
	Probe *ProbeResult
	// Read is the read probe of the same permission, sent along with a
	// write probe that succeeds by a 404, or alone when the level has no
	// probe of its own: no write without read.
	Read *ProbeResult
	// NoProbe is the probe table's reason why no safe request proves this
	// level.
	NoProbe string
}

// ProbeResult is one probe request: how the probe table says to read it,
// and what the API answered.
type ProbeResult struct {
	// Request names the request for messages, e.g. GET /repos/o/r/hooks.
	Request string
	// Endpoint is the path the request went to (for GraphQL, the endpoint).
	Endpoint string
	Expect   ProbeExpect
	Answer   ProbeAnswer
}

// ProbeExpect is the probe table's reading of a probe's answer.
type ProbeExpect struct {
	// Granted are the statuses that prove the permission.
	Granted []int
	// Unsure are statuses that settle nothing; UnsureReason says why.
	Unsure       []int
	UnsureReason string
	// PublicRead marks reads anyone may make on a public repository;
	// PublicWrite writes any account may make there (issues, pull requests).
	PublicRead  bool
	PublicWrite bool
	// ByMissingID marks a probe whose success is a 404 (or 422) for an id
	// that cannot exist.
	ByMissingID bool
	// SelfConfirmed marks such a probe that is itself the permission's read
	// (a GET aimed at a name that cannot exist, on an endpoint that needs no
	// role beyond access to the target): no other read confirms it.
	SelfConfirmed bool
	// GraphQL marks a GraphQL query: it answers 200 whether it grants or
	// refuses, and Field is where the data shows a grant.
	GraphQL bool
	Field   []string
}

// ProbeAnswer is what the API answered to one probe request.
type ProbeAnswer struct {
	// Status is the HTTP status; 0 when the request was not sent.
	Status int
	// Problem is an answer that says nothing (network, rate limit, 5xx).
	Problem *APIProblem
	// Message is the API's message, cleaned.
	Message string
	// Accepted is the formatted X-Accepted-GitHub-Permissions header.
	Accepted string
	// SSORequired is X-GitHub-SSO: required; SSOURL the URL it carried.
	SSORequired bool
	SSOURL      string
	// Policy is a 403 by which an organization refuses this kind of token
	// or its lifetime, with the settings URL it named.
	Policy     bool
	PolicyKind finding.Policy
	PolicyURL  string
	// GraphQL is the parsed body of a 200 answer to a GraphQL probe.
	GraphQL *GraphQLAnswer
}

// GraphQLAnswer is a GraphQL answer, read against the probe's field.
type GraphQLAnswer struct {
	// Valid is false when the body is not GitHub's GraphQL JSON.
	Valid bool
	// FieldObject is true when the data holds an object at the field;
	// otherwise NullAt is the index of the first step that is null or
	// absent (-1 when the value is there but not an object).
	FieldObject bool
	NullAt      int
	Errors      []GraphQLError
	// RateLimit is set when an error says the rate limit is exhausted.
	RateLimit *APIProblem
}

// GraphQLError is one entry of a GraphQL answer's errors.
type GraphQLError struct {
	Type    string
	Message string
	// AtField: the error's path reaches the probe's field (or below it).
	AtField bool
	// AtRoot: the path is exactly the field's first step (the repository).
	AtRoot      bool
	SAMLFailure bool
	// Policy: the message is an organization's token policy refusal.
	Policy     bool
	PolicyKind finding.Policy
	PolicyURL  string
}

// PermissionState is what a probe learned about one permission on one target.
type PermissionState int

// The states of a permission probe.
const (
	PermUnknown PermissionState = iota
	// PermGranted: the probe's answer proves the permission.
	PermGranted
	// PermPublic: the read succeeded on a public repository, where anyone
	// may read: it proves nothing about the grant.
	PermPublic
	// PermMissing: GitHub refused (403, or 404 on a reachable repository).
	PermMissing
	// PermUnverified: no safe probe exists; Reason says why.
	PermUnverified
	// PermUnreachable: the target itself cannot be reached (see its Resource).
	PermUnreachable
	// PermFailed: the API could not tell.
	PermFailed
)

// PermissionVerdict is the decision on one permission on one target.
type PermissionVerdict struct {
	Permission Permission
	// Target is owner/repo, an organization login, or "" for the account.
	Target string
	State  PermissionState
	// Reason explains an unverified or public outcome.
	Reason string
	// Accepted is the formatted X-Accepted-GitHub-Permissions of a refusal.
	Accepted string
	// Message is GitHub's message for a refusal.
	Message string
	// SSOURL, Policy and PolicyURL explain a probe refused by the
	// organization (SAML SSO, or a token policy) on a target that is
	// otherwise reachable, such as a public repository.
	SSOURL     string
	Policy     string
	PolicyURL  string
	PolicyKind finding.Policy
	Problem    *APIProblem
}

// Unmet returns the required entries that have does not hold, once each,
// in the order they were required: what a platform's scopes rule reports
// missing, once its catalogue has expanded what was granted.
func Unmet(have, required []string) []string {
	var missing []string
	for _, r := range required {
		if !slices.Contains(have, r) && !slices.Contains(missing, r) {
			missing = append(missing, r)
		}
	}
	return missing
}
