package github

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// EvalScopeExcess is least privilege for classic and OAuth scopes, which
// GitHub tells in X-OAuth-Scopes: every granted scope the required ones do
// not imply.
func (Issuer) EvalScopeExcess(o *check.Outcome, req check.Requirements, f check.Facts) {
	need := ExpandScopes(req.Scopes)
	var excess, replace []string
	for _, g := range f.Scopes {
		if g == "" || slices.Contains(need, g) || slices.Contains(excess, g) {
			continue
		}
		excess = append(excess, g)
		// Unticking a parent unticks its children: the required ones it
		// implied are ticked again on their own.
		for _, r := range req.Scopes {
			if slices.Contains(ExpandScopes([]string{g}), r) && !slices.Contains(replace, r) {
				replace = append(replace, r)
			}
		}
	}
	if len(excess) == 0 {
		return
	}
	words := make([]string, len(excess))
	for i, e := range excess {
		words[i] = ScopeAllows(e)
	}
	msg := fmt.Sprintf("the token has %s the job does not need (it needs %s): %s",
		check.NounFor(len(excess), "a scope", "scopes"), strings.Join(MinimalScopes(req.Scopes), ", "), strings.Join(words, "; "))
	o.Find(finding.Finding{Code: finding.ScopeExcess, Severity: req.Excess, Message: msg,
		About: finding.About{Excess: excess, Needed: MinimalScopes(req.Scopes), Replace: replace}})
	o.Add(finding.Check{Name: "Least privilege", State: check.ExcessState(req.Excess), Detail: "beyond what the job needs: " + strings.Join(excess, ", ")})
	o.Excess = append(o.Excess, excess...)
}

// ExcessProbes lists the repository permissions and levels probed for
// excess: every level above the required one (none for a permission not
// required) that the probe table can check, metadata aside (every
// fine-grained token reads it). hasProbe says whether the table has a
// probe for a permission at a level.
func ExcessProbes(req check.Requirements, hasProbe func(name string, level check.Level) bool) []check.Permission {
	var out []check.Permission
	for _, name := range KnownPermissions() {
		if t, _ := TargetOf(name); t != check.TargetRepository || name == "metadata" {
			continue
		}
		have := check.LevelNone
		for _, p := range req.Permissions {
			if p.Name == name {
				have = p.Level
			}
		}
		for _, l := range []check.Level{check.LevelRead, check.LevelWrite} {
			if l > have && hasProbe(name, l) {
				out = append(out, check.Permission{Name: name, Level: l})
			}
		}
	}
	return out
}

// NotFoundCauses lists why GitHub answers 404 for a repository, most likely
// first for this kind of token: GitHub hides private repositories the token
// cannot see behind a 404.
func (Issuer) NotFoundCauses(f check.Facts) string {
	switch f.Kind {
	case token.FineGrained:
		return "the name is wrong, or the repository is not selected under the token's repository access, or the token's resource owner is not the repository's owner, or the organization has not yet approved the token"
	case token.AppInstallation:
		return "the name is wrong, or the App is not installed on it (GITHUB_TOKEN reaches only the workflow's own repository and public ones)"
	case token.Classic, token.OAuth:
		if f.ScopesKnown && !slices.Contains(ExpandScopes(f.Scopes), "repo") {
			return "the name is wrong, or it is private and the token lacks the repo scope, or the account " + check.LoginOr(f.Login) + " has no access to it"
		}
		return "the name is wrong, or it is private and the account " + check.LoginOr(f.Login) + " has no access to it"
	}
	return "the name is wrong, or it is private and the token has no access to it"
}
