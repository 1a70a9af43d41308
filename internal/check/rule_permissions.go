package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/finding"
)

// evalPermissions turns probe outcomes into findings, one per target and
// kind of outcome, and the cells of the permission table. It runs after the
// resources, whose findings already explain an unreachable target.
func (o *Outcome) evalPermissions(iss Issuer, req Requirements, f Facts) {
	if len(req.Permissions) == 0 {
		return
	}
	type group struct {
		missing, unverified                         []string
		accepted, reasons                           []string
		unreachable, failed, refused, public, cells int
	}
	groups := map[string]*group{}
	var order []string
	for _, p := range iss.PermissionVerdicts(f) {
		target := p.Target
		if target == "" {
			target = LoginOr(f.Login)
		}
		cell := finding.PermissionCell{Permission: p.Permission.String(), Target: target}
		g := groups[target]
		if g == nil {
			g = &group{}
			groups[target] = g
			order = append(order, target)
		}
		switch p.State {
		case PermGranted:
			cell.State = finding.CellGranted
		case PermPublic:
			cell.State, cell.Detail = finding.CellPublic, "readable by anyone: proves nothing about the token's grant"
			g.public++
		case PermMissing:
			cell.State, cell.Detail = finding.CellMissing, p.Accepted
			g.missing = append(g.missing, p.Permission.String())
			if p.Accepted != "" && !slices.Contains(g.accepted, p.Accepted) {
				g.accepted = append(g.accepted, p.Accepted)
			}
			o.Missing = append(o.Missing, p.Permission.String()+"@"+target)
			o.verdicts.missingPerms = append(o.verdicts.missingPerms, p.Permission)
		case PermUnverified:
			cell.State, cell.Detail = finding.CellUnverified, p.Reason
			g.unverified = append(g.unverified, p.Permission.String())
			o.verdicts.unverifiedPerms = append(o.verdicts.unverifiedPerms, p.Permission)
			g.reasons = append(g.reasons, p.Permission.String()+": "+p.Reason)
		case PermUnreachable:
			cell.State = finding.CellUnreachable
			g.unreachable++
			// The organization refused this probe on a target that is
			// otherwise reachable (a public repository of an SSO
			// organization): no other finding explains it.
			org := OwnerOf(p.Target)
			if p.Target == "" || !strings.Contains(p.Target, "/") {
				org = p.Target
			}
			switch {
			case p.SSOURL != "":
				g.refused++
				cell.Detail = "SAML SSO authorization required"
				o.find(finding.Finding{Code: finding.SSOAuthorizationRequired, Severity: finding.Error, About: finding.About{Organization: org, AuthorizationURL: p.SSOURL},
					Message: fmt.Sprintf("the organization %s enforces SAML single sign-on and the token is not authorized for it", org)})
			case p.Policy != "":
				g.refused++
				cell.Detail = "refused by organization policy"
				o.find(finding.Finding{Code: finding.OrganizationPolicy, Severity: finding.Error, About: finding.About{Organization: org, Policy: p.PolicyKind, PolicyURL: p.PolicyURL},
					Message: fmt.Sprintf("the organization %s refuses this token: %q", org, p.Policy)})
			}
		case PermFailed:
			cell.State = finding.CellUnknown
			g.failed++
			if p.Problem != nil {
				o.inconclusive(req, *p.Problem)
			}
		default:
			cell.State = finding.CellUnknown
		}
		g.cells++
		o.Permissions = append(o.Permissions, cell)
	}
	for _, target := range order {
		g := groups[target]
		state, detail := finding.Pass, "granted"
		switch {
		case g.refused > 0:
			state, detail = finding.Fail, "refused by the organization (SAML SSO or token policy)"
		case g.unreachable > 0:
			state, detail = finding.Skipped, "not probed: the target cannot be reached"
		case g.failed > 0:
			state, detail = finding.Unknown, "the API could not tell"
		case g.public == g.cells:
			detail = "public repository: readable by anyone, so the grant is not proven"
		}
		if len(g.missing) > 0 {
			msg := fmt.Sprintf("the token lacks %s on %s", strings.Join(g.missing, ", "), target)
			if len(g.accepted) > 0 {
				msg += fmt.Sprintf(" (GitHub answered 403 and says the requests need %s)", strings.Join(g.accepted, "; "))
			}
			o.find(finding.Finding{Code: finding.PermissionMissing, Severity: finding.Error, Message: msg, About: finding.About{Target: target, Permissions: g.missing}})
			state, detail = finding.Fail, "missing: "+strings.Join(g.missing, ", ")
		}
		if len(g.unverified) > 0 {
			why := strings.Join(g.reasons, "; ")
			if len(g.reasons) == 1 {
				// One permission: the reason needs no label.
				why = strings.TrimPrefix(why, g.unverified[0]+": ")
			}
			msg := fmt.Sprintf("pat-check cannot verify %s on %s: %s", strings.Join(g.unverified, ", "), target, why)
			if writes := unverifiedWrites(g.unverified); len(writes) > 0 {
				// A write no safe request proves is what fails a job late:
				// the headline says so before the reason.
				msg = fmt.Sprintf("the job may still fail at the step that writes: %s on %s cannot be proven without writing (%s)",
					strings.Join(writes, ", "), target, msg)
			}
			o.find(finding.Finding{Code: finding.PermissionUnverified, Severity: finding.Warning, Message: msg, About: finding.About{Target: target, Permissions: g.unverified}})
			if state == finding.Pass {
				state = finding.Warn
			}
			detail += "; unverified: " + strings.Join(g.unverified, ", ")
		}
		o.add(finding.Check{Name: "Permissions on " + target, State: state, Detail: strings.TrimPrefix(detail, "granted; ")})
	}
}

// unverifiedWrites are the permissions above read among unverified ones.
func unverifiedWrites(perms []string) []string {
	var out []string
	for _, p := range perms {
		if _, level, _ := strings.Cut(p, ":"); level != LevelRead.String() {
			out = append(out, p)
		}
	}
	return out
}
