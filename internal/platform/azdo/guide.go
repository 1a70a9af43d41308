package azdo

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
)

// Guide is Azure DevOps' own guidance (a guide.Rules): the organization's
// pages, the New Token page's steps, and scopes by the labels it shows.
type Guide struct {
	Org     Org
	Project string
}

// Fix writes the fix for an Azure DevOps token; ok is false for the
// findings whose fix does not depend on the provider.
func (g Guide) Fix(f finding.Finding, c guide.Context) (fix, link string, ok bool) {
	link = g.Org.TokensPage()
	switch f.Code {
	case finding.TokenMalformed, finding.TokenInvalid, finding.TokenTypeDisallowed:
		intro := "Azure DevOps does not accept the token: it was revoked, belongs to another organization (or was created for all accessible organizations, which stop working on 2026-12-01), or was copied incompletely."
		if g.Org.Kind == "server" {
			intro = "Azure DevOps Server does not accept the token: it was revoked, belongs to another collection, or was copied incompletely."
		}
		if f.Code == finding.TokenMalformed {
			intro = "The value was damaged on its way into the secret (cut short, wrapped, or mistyped). Copy it again in one piece, or create a new token:"
		}
		return guide.Steps(append([]string{intro}, g.createSteps(c)...)...), link, true
	case finding.TokenExpired:
		return guide.Steps(
			"Open "+link+" (User settings → Personal access tokens) and find the token"+tokenNamed(c)+".",
			"It has expired, so its value no longer works: choose Regenerate, set a new Expiration, and copy the new value (it is shown only once).",
			g.storeStep(c),
			"Run the job again. Azure DevOps e-mails the owner seven days before a token expires; pat-check warns earlier ("+c.Opt("warn-days-left")+").",
		), link, true
	case finding.TokenExpiring, finding.TokenExpiryWarning:
		return guide.Steps(
			"Open "+link+" (User settings → Personal access tokens) and find the token"+tokenNamed(c)+".",
			"Choose Edit, set a later Expiration and Save. The value stays the same, so no secret needs changing.",
			"Or, to replace the value: choose Regenerate, copy the new value (it is shown only once), and "+guide.LowerFirst(g.storeStep(c)),
			"Azure DevOps e-mails the owner seven days before a token expires; pat-check warns earlier ("+c.Opt("warn-days-left")+").",
		), link, true
	case finding.TokenExpiryUnknown:
		return guide.Steps(
			"Give the token's name as "+c.Opt("token-name")+", so that pat-check can find it in the user's token list, or its expiry date as "+c.Setting("expires-on", "YYYY-MM-DD")+".",
			"The dates are on "+link+".",
		), link, true
	case finding.ScopeMissing:
		missing := f.About.Scopes
		return guide.Steps(
			"Open "+link+" and choose the token"+tokenNamed(c)+" → Edit.",
			"Under Scopes choose Show all scopes if needed, and tick "+azureLabels(missing)+"; Save. The value stays the same, so no secret needs changing.",
			"Or create a replacement with every scope the job needs: "+azureLabels(c.Required.Scopes)+".",
		), link, true
	case finding.ScopeUnverified:
		return guide.Steps(
			"pat-check proves scopes by reading; writes it cannot test without writing. Open "+link+", choose the token"+tokenNamed(c)+", and confirm that its scopes include "+azureLabels(f.About.Scopes)+".",
			"If the message names a missing permission or project: ask a project administrator for the permission, or set "+c.Opt("project")+" to a project the user can see.",
		), link, true
	case finding.ScopeExcess:
		full, untick := "", ""
		if slices.Contains(f.About.Excess, FullAccess) {
			full = "The token has Full access: under Scopes choose Custom defined and tick only " + azureLabels(f.About.Needed) + "."
		}
		if rest := without(f.About.Excess, FullAccess); len(rest) > 0 {
			untick = "Untick " + azureLabels(rest) + "; keep " + azureLabels(f.About.Needed) + "."
		}
		return guide.Steps(
			"Open "+link+" and choose the token"+tokenNamed(c)+" → Edit.",
			full,
			untick,
			"Save: the value stays the same, so no secret needs changing. If another pipeline uses this token and needs those scopes, give it a token of its own.",
		), link, true
	case finding.TokenLifetimeTooLong:
		return guide.Steps(
			"Open "+link+" and choose the token"+tokenNamed(c)+" → Edit.",
			fmt.Sprintf("Set Expiration to a custom date at most %d days away and Save: the value stays the same, so no secret needs changing.", f.About.MaxDays),
			"Azure DevOps e-mails the owner seven days before the date; pat-check warns earlier ("+c.Opt("warn-days-left")+").",
		), link, true
	case finding.TokenCommitted:
		return guide.Steps(
			"Revoke the token now: open "+link+", choose the token"+tokenNamed(c)+" → Revoke. Anyone who read the file may already have it.",
			"Create a new token: "+link+" → + New Token, with only the scopes the job needs and a short expiration.",
			g.storeStep(c)+" Read it in the pipeline from there, never from a file.",
			guide.RemoveStep(f.About.Places),
		), link, true
	case finding.RateLimited:
		return guide.Steps(
			"Azure DevOps is throttling this user's requests: wait for the time in the message (Retry-After), then run the job again.",
			"Set "+c.Setting("on-api-error", "warn")+" to let the job go on while the service throttles.",
		), "", true
	case finding.APIError:
		status := "Check Azure DevOps' status at https://status.dev.azure.com and run the job again."
		if g.Org.Kind == "server" {
			status = "Ask the server's administrators whether Azure DevOps Server is up and reachable from this agent, then run the job again."
		}
		return guide.Steps(
			"Check that "+c.Opt("organization")+" is right: "+g.Org.BaseURL+" must be the organization's URL (https://dev.azure.com/ORG, https://ORG.visualstudio.com, or the server's collection URL).",
			status,
			"Set "+c.Setting("on-api-error", "warn")+" to let the job go on when the service cannot be reached.",
		), "", true
	case finding.TokenMissing:
		if c.Frontend != frontend.CommandLine {
			return "", "", false
		}
		return guide.Steps(
			"No token was found: set AZURE_DEVOPS_EXT_PAT (or PAT_CHECK_TOKEN), or pipe it in with --token-stdin.",
			"Create one at "+g.Org.TokensPage()+" if you have none.",
		), "", true
	}
	return "", "", false
}

func tokenNamed(c guide.Context) string {
	if c.TokenName == "" {
		return ""
	}
	return fmt.Sprintf(" named %q", c.TokenName)
}

// without is list less one value.
func without(list []string, v string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == v })
}

// azureLabels names scopes as the New Token page does.
func azureLabels(scopes []string) string {
	labels := make([]string, 0, len(scopes))
	for _, s := range scopes {
		if s = strings.TrimSpace(s); s != "" {
			labels = append(labels, fmt.Sprintf("%s (%s)", ScopeLabel(s), s))
		}
	}
	if len(labels) == 0 {
		return "the scopes the job needs"
	}
	return strings.Join(labels, ", ")
}

// createSteps are the steps of the New Token page.
func (g Guide) createSteps(c guide.Context) []string {
	name := c.TokenName
	if name == "" {
		name = c.Description()
	}
	return []string{
		"Open " + g.Org.TokensPage() + " (User settings → Personal access tokens) → + New Token.",
		g.orgStep(name),
		"Expiration: pick a date (for example 90 days); pat-check warns before it comes.",
		"Scopes: Custom defined → tick " + azureLabels(c.Required.Scopes) + ".",
		"Create, then copy the value (it is shown only once).",
		g.storeStep(c),
		"Run the job again.",
	}
}

// orgStep names the token and, on Services, its organization.
func (g Guide) orgStep(name string) string {
	if g.Org.Kind == "server" {
		return "Name: " + name + "."
	}
	return "Name: " + name + ". Organization: " + guide.OrDefault(g.Org.Name, "the organization the job uses") + " (not All accessible organizations)."
}

// storeStep says where an Azure DevOps token's value goes.
func (g Guide) storeStep(c guide.Context) string {
	switch c.Frontend {
	case frontend.AzurePipelines:
		return "Store it as a secret: edit the pipeline → Variables → the variable that holds it (tick Keep this value secret), or in the variable group at " +
			g.Org.LibraryPage(g.Project) + ", or as a new version of the secret in the Azure Key Vault the pipeline links."
	case frontend.Actions:
		return c.StoreStep()
	}
	return "Store it where your scripts read it: export AZURE_DEVOPS_EXT_PAT (or PAT_CHECK_TOKEN) in your shell or your secret manager; never in a file under version control."
}
