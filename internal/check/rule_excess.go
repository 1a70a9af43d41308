package check

import (
	"fmt"
	"strings"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// evalExcess is least privilege: access granted beyond what the job
// requires. Classic, OAuth and Azure DevOps scopes are told, so their
// excess costs nothing to find; fine-grained and installation permissions
// are only known from the probes of the permissions that were not
// required, which are sent only when excess is a warning or an error.
func (o *Outcome) evalExcess(iss Issuer, req Requirements, f Facts) {
	if req.Excess == "" {
		return
	}
	switch {
	case f.ScopesKnown:
		if len(req.Scopes) > 0 {
			iss.EvalScopeExcess(o, req, f)
		}
	case (f.Kind == token.FineGrained || f.Kind == token.AppInstallation) && req.ProbeExcess():
		o.permissionExcess(iss, req, f)
	}
}

// ExcessState is the table row's state for the excess severity.
func ExcessState(sev finding.Severity) finding.State {
	switch sev {
	case finding.Error:
		return finding.Fail
	case finding.Warning:
		return finding.Warn
	}
	return finding.Pass
}

func (o *Outcome) permissionExcess(iss Issuer, req Requirements, f Facts) {
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
	for _, v := range iss.PermissionVerdicts(probed) {
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
		NounFor(len(excess), "a permission", "permissions"), target, strings.Join(excess, ", "), OrNone(needed))
	o.find(finding.Finding{Code: finding.PermissionExcess, Severity: req.Excess, Message: msg,
		About: finding.About{Excess: excess, Needed: needed, Target: target}})
	o.add(finding.Check{Name: "Least privilege", State: ExcessState(req.Excess), Detail: "beyond what the job needs on " + target + ": " + strings.Join(excess, ", ")})
	for _, e := range excess {
		o.Excess = append(o.Excess, e+"@"+target)
	}
}

// NounFor picks the singular or plural phrase.
func NounFor(n int, one, many string) string {
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
