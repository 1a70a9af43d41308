// Package check turns requirements and facts into findings. It is pure: the
// facts were gathered elsewhere (the github package), the clock is an
// argument, and the result is data.
package check

import (
	"time"

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
	// PolicyURL is the settings URL GitHub gave with a lifetime policy refusal.
	PolicyURL string
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

// ScopeFact is what a read probe learned about one required Azure DevOps scope.
type ScopeFact struct {
	Scope   string
	State   PermissionState
	Reason  string
	Problem *APIProblem
}

// Facts is everything gathered about the token.
type Facts struct {
	Kind token.Kind
	// Provider is "github" or "azure-devops".
	Provider string
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

// PermissionFact is the outcome for one permission on one target.
type PermissionFact struct {
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
	SSOURL    string
	Policy    string
	PolicyURL string
	Problem   *APIProblem
}
