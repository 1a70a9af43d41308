package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// evalExcess is least privilege: access granted beyond what the job
// requires. Classic, OAuth and Azure DevOps scopes are told, so their
// excess costs nothing to find; fine-grained and installation permissions
// are only known from the probes of the permissions that were not
// required, which are sent only when excess is a warning or an error.
func (o *Outcome) evalExcess(req Requirements, f Facts) {
	if req.Excess == "" {
		return
	}
	switch {
	case f.Platform == AzureDevOps:
		if f.ScopesKnown && len(req.Scopes) > 0 {
			o.azureScopeExcess(req, f)
		}
	case f.ScopesKnown:
		if len(req.Scopes) > 0 {
			o.scopeExcess(req, f)
		}
	case (f.Kind == token.FineGrained || f.Kind == token.AppInstallation) && req.ProbeExcess():
		o.permissionExcess(req, f)
	}
}

// excessState is the table row's state for the excess severity.
func excessState(sev finding.Severity) finding.State {
	switch sev {
	case finding.Error:
		return finding.Fail
	case finding.Warning:
		return finding.Warn
	}
	return finding.Pass
}

func (o *Outcome) scopeExcess(req Requirements, f Facts) {
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
		nounFor(len(excess), "a scope", "scopes"), strings.Join(MinimalScopes(req.Scopes), ", "), strings.Join(words, "; "))
	o.find(finding.Finding{Code: finding.ScopeExcess, Severity: req.Excess, Message: msg,
		About: finding.About{Excess: excess, Needed: MinimalScopes(req.Scopes), Replace: replace}})
	o.add(finding.Check{Name: "Least privilege", State: excessState(req.Excess), Detail: "beyond what the job needs: " + strings.Join(excess, ", ")})
	o.Excess = append(o.Excess, excess...)
}

func (o *Outcome) azureScopeExcess(req Requirements, f Facts) {
	need := ExpandAzureScopes(req.Scopes)
	var excess []string
	for _, g := range f.Scopes {
		if g == "" || slices.Contains(excess, g) {
			continue
		}
		// Full access is always more than specific scopes, even when the
		// expansion of the required ones would happen to list it.
		if g == AzureFullAccess && !slices.Contains(req.Scopes, AzureFullAccess) || !slices.Contains(need, g) {
			excess = append(excess, g)
		}
	}
	if len(excess) == 0 {
		return
	}
	labels := make([]string, len(excess))
	for i, e := range excess {
		labels[i] = fmt.Sprintf("%s (%s)", e, AzureScopeLabel(e))
		if e == AzureFullAccess {
			labels[i] += ": every scope of every area, including ones added later"
		}
	}
	msg := fmt.Sprintf("the token has %s the job does not need (it needs %s): %s",
		nounFor(len(excess), "a scope", "scopes"), strings.Join(req.Scopes, ", "), strings.Join(labels, "; "))
	o.find(finding.Finding{Code: finding.ScopeExcess, Severity: req.Excess, Message: msg,
		About: finding.About{Excess: excess, Needed: slices.Clone(req.Scopes)}})
	o.add(finding.Check{Name: "Least privilege", State: excessState(req.Excess), Detail: "beyond what the job needs: " + strings.Join(excess, ", ")})
	o.Excess = append(o.Excess, excess...)
}

func (o *Outcome) permissionExcess(req Requirements, f Facts) {
	target := req.ExcessRepository()
	if target == "" {
		o.add(finding.Check{Name: "Least privilege", State: finding.Skipped, Detail: "not probed: name a repository in repositories to look for permissions the job does not need"})
		return
	}
	probed := f
	probed.Permissions = f.ExcessPermissions
	granted := map[string]Level{}
	var order []string
	failed := 0
	for _, v := range PermissionVerdicts(probed) {
		switch v.State {
		case PermGranted:
			if _, ok := granted[v.Permission.Name]; !ok {
				order = append(order, v.Permission.Name)
			}
			granted[v.Permission.Name] = max(granted[v.Permission.Name], v.Permission.Level)
		case PermFailed:
			failed++
		}
	}
	var excess []string
	for _, name := range order {
		excess = append(excess, Permission{Name: name, Level: granted[name]}.String())
	}
	needed := make([]string, 0, len(req.Permissions))
	for _, p := range req.Permissions {
		needed = append(needed, p.String())
	}
	if len(excess) == 0 {
		state, detail := finding.Pass, "no repository permission beyond what the job needs on "+target
		if failed > 0 {
			state, detail = finding.Unknown, "the API could not tell for some permissions on "+target
		}
		o.add(finding.Check{Name: "Least privilege", State: state, Detail: detail})
		return
	}
	msg := fmt.Sprintf("the token holds %s on %s that the job does not need: %s (it needs %s)",
		nounFor(len(excess), "a permission", "permissions"), target, strings.Join(excess, ", "), OrNone(needed))
	o.find(finding.Finding{Code: finding.PermissionExcess, Severity: req.Excess, Message: msg,
		About: finding.About{Excess: excess, Needed: needed, Target: target}})
	o.add(finding.Check{Name: "Least privilege", State: excessState(req.Excess), Detail: "beyond what the job needs on " + target + ": " + strings.Join(excess, ", ")})
	for _, e := range excess {
		o.Excess = append(o.Excess, e+"@"+target)
	}
}

// ExcessProbes lists the repository permissions and levels probed for
// excess: every level above the required one (none for a permission not
// required) that the probe table can check, metadata aside (every
// fine-grained token reads it). hasProbe says whether the table has a
// probe for a permission at a level.
func ExcessProbes(req Requirements, hasProbe func(name string, level Level) bool) []Permission {
	var out []Permission
	for _, name := range KnownPermissions() {
		if t, _ := TargetOf(name); t != TargetRepository || name == "metadata" {
			continue
		}
		have := LevelNone
		for _, p := range req.Permissions {
			if p.Name == name {
				have = p.Level
			}
		}
		for _, l := range []Level{LevelRead, LevelWrite} {
			if l > have && hasProbe(name, l) {
				out = append(out, Permission{Name: name, Level: l})
			}
		}
	}
	return out
}

// nounFor picks the singular or plural phrase.
func nounFor(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// OrNone joins a list, or says none.
func OrNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}
