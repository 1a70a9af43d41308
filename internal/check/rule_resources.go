package check

import (
	"fmt"

	"github.com/pat-check/pat-check/internal/finding"
)

// evalResources checks that every listed repository and organization can
// be reached.
func (o *Outcome) evalResources(iss Issuer, req Requirements, f Facts) {
	for _, r := range f.Repositories {
		o.resource(iss, req, f, r, "Repository")
	}
	for _, r := range f.Organizations {
		o.resource(iss, req, f, r, "Organization")
	}
}

func (o *Outcome) resource(iss Issuer, req Requirements, f Facts, r Resource, what string) {
	name := what + " " + r.Name
	switch r.Access {
	case AccessOK:
		detail := "reachable"
		if what == "Repository" && r.Private {
			detail = "reachable (private)"
		}
		o.add(finding.Check{Name: name, State: finding.Pass, Detail: detail})
	case AccessSSO:
		org := r.Org
		if org == "" {
			org = OwnerOf(r.Name)
		}
		msg := fmt.Sprintf("the organization %s enforces SAML single sign-on and the token is not authorized for it", org)
		o.find(finding.Finding{Code: finding.SSOAuthorizationRequired, Severity: finding.Error, Message: msg, About: finding.About{Organization: org, AuthorizationURL: r.SSOURL}})
		o.add(finding.Check{Name: name, State: finding.Fail, Detail: "SAML SSO authorization required"})
	case AccessPolicy:
		org := r.Org
		if org == "" {
			org = OwnerOf(r.Name)
		}
		msg := fmt.Sprintf("the organization %s refuses this token: %q", org, r.Message)
		o.find(finding.Finding{Code: finding.OrganizationPolicy, Severity: finding.Error, Message: msg, About: finding.About{Organization: org, Policy: r.PolicyKind, PolicyURL: r.PolicyURL}})
		o.add(finding.Check{Name: name, State: finding.Fail, Detail: "refused by organization policy"})
	case AccessNotFound, AccessForbidden:
		o.inaccessible(iss, f, r, what, name)
	case AccessFailed:
		if r.Problem != nil {
			o.inconclusive(req, *r.Problem)
		}
		o.add(finding.Check{Name: name, State: finding.Unknown, Detail: "the API could not tell"})
	default:
		o.add(finding.Check{Name: name, State: finding.Skipped})
	}
}

func (o *Outcome) inaccessible(iss Issuer, f Facts, r Resource, what, name string) {
	if what == "Organization" {
		msg := fmt.Sprintf("the organization %s does not exist or is not visible to the token", r.Name)
		if r.Access == AccessForbidden && r.Message != "" {
			msg = fmt.Sprintf("the organization %s refused the token: %q", r.Name, r.Message)
		}
		o.find(finding.Finding{Code: finding.OrganizationInaccessible, Severity: finding.Error, Message: msg, About: finding.About{Organization: r.Name}})
		o.add(finding.Check{Name: name, State: finding.Fail, Detail: "not reachable"})
		return
	}
	var msg string
	if r.Access == AccessForbidden {
		msg = fmt.Sprintf("the repository %s refused the token (403 %q)", r.Name, r.Message)
		if r.AcceptedPermissions != "" {
			msg += fmt.Sprintf("; GitHub says the request needs %s", r.AcceptedPermissions)
		}
	} else {
		msg = fmt.Sprintf("the repository %s cannot be reached with the token (404): %s", r.Name, iss.NotFoundCauses(f))
	}
	o.find(finding.Finding{Code: finding.RepositoryInaccessible, Severity: finding.Error, Message: msg, About: finding.About{Repository: r.Name}})
	o.add(finding.Check{Name: name, State: finding.Fail, Detail: "not reachable"})
}
