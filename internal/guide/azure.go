package guide

import (
	"fmt"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
)

// azureFix writes the fix for an Azure DevOps token; ok is false for the
// findings whose fix does not depend on the provider.
func (c Context) azureFix(f finding.Finding) (fix, link string, ok bool) {
	link = c.AzureOrg.TokensPage()
	switch f.Code {
	case finding.TokenMalformed, finding.TokenInvalid, finding.TokenTypeDisallowed:
		intro := "Azure DevOps does not accept the token: it was revoked, belongs to another organization (or was created for all accessible organizations, which stop working on 2026-12-01), or was copied incompletely."
		if c.AzureOrg.Kind == "server" {
			intro = "Azure DevOps Server does not accept the token: it was revoked, belongs to another collection, or was copied incompletely."
		}
		if f.Code == finding.TokenMalformed {
			intro = "The value was damaged on its way into the secret (cut short, wrapped, or mistyped). Copy it again in one piece, or create a new token:"
		}
		return steps(append([]string{intro}, c.azureCreateSteps()...)...), link, true
	case finding.TokenExpired, finding.TokenExpiring, finding.TokenExpiryWarning:
		return steps(
			"Open "+link+" (User settings → Personal access tokens) and find the token"+c.tokenNamed()+".",
			"Before it expires: choose Edit, set a later Expiration and Save. The value stays the same, so no secret needs changing.",
			"Once it has expired (or to replace the value): choose Regenerate, copy the new value (it is shown only once), and "+lowerFirst(c.azureStoreStep()),
			"Azure DevOps e-mails the owner seven days before a token expires; pat-check warns earlier (warn-days-left).",
		), link, true
	case finding.TokenExpiryUnknown:
		return steps(
			"Give the token's name as token-name, so that pat-check can find it in the user's token list, or its expiry date as expires-on (YYYY-MM-DD).",
			"The dates are on "+link+".",
		), link, true
	case finding.ScopeMissing:
		missing := f.About.Scopes
		return steps(
			"Open "+link+" and choose the token"+c.tokenNamed()+" → Edit.",
			"Under Scopes choose Show all scopes if needed, and tick "+azureLabels(missing)+"; Save. The value stays the same, so no secret needs changing.",
			"Or create a replacement with every scope the job needs: "+azureLabels(c.Required.Scopes)+".",
		), link, true
	case finding.ScopeUnverified:
		return steps(
			"pat-check proves scopes by reading; writes it cannot test without writing. Open "+link+", choose the token"+c.tokenNamed()+", and confirm that its scopes include "+azureLabels(f.About.Scopes)+".",
			"If the message names a missing permission or project: ask a project administrator for the permission, or set project to a project the user can see.",
		), link, true
	case finding.TokenMissing, finding.TokenUnexpanded:
		return "", "", false
	}
	return "", "", false
}

func (c Context) tokenNamed() string {
	if c.TokenName == "" {
		return ""
	}
	return fmt.Sprintf(" named %q", c.TokenName)
}

// azureLabels names scopes as the New Token page does.
func azureLabels(scopes []string) string {
	labels := make([]string, 0, len(scopes))
	for _, s := range scopes {
		if s = strings.TrimSpace(s); s != "" {
			labels = append(labels, fmt.Sprintf("%s (%s)", check.AzureScopeLabel(s), s))
		}
	}
	if len(labels) == 0 {
		return "the scopes the job needs"
	}
	return strings.Join(labels, ", ")
}

// azureCreateSteps are the steps of the New Token page.
func (c Context) azureCreateSteps() []string {
	name := c.TokenName
	if name == "" {
		name = c.description()
	}
	return []string{
		"Open " + c.AzureOrg.TokensPage() + " (User settings → Personal access tokens) → + New Token.",
		c.azureOrgStep(name),
		"Expiration: pick a date (for example 90 days); pat-check warns before it comes.",
		"Scopes: Custom defined → tick " + azureLabels(c.Required.Scopes) + ".",
		"Create, then copy the value (it is shown only once).",
		c.azureStoreStep(),
		"Run the job again.",
	}
}

// azureOrgStep names the token and, on Services, its organization.
func (c Context) azureOrgStep(name string) string {
	if c.AzureOrg.Kind == "server" {
		return "Name: " + name + "."
	}
	return "Name: " + name + ". Organization: " + orDefault(c.AzureOrg.Name, "the organization the job uses") + " (not All accessible organizations)."
}

// azureStoreStep says where an Azure DevOps token's value goes.
func (c Context) azureStoreStep() string {
	switch c.Platform {
	case PlatformAzure:
		return "Store it as a secret: edit the pipeline → Variables → the variable that holds it (tick Keep this value secret), or in the variable group at " +
			c.AzureOrg.LibraryPage(c.Project) + ", or as a new version of the secret in the Azure Key Vault the pipeline links."
	case PlatformActions:
		return c.storeStep()
	}
	return "Store it where your scripts read it: export AZURE_DEVOPS_EXT_PAT (or PAT_CHECK_TOKEN) in your shell or your secret manager; never in a file under version control."
}
