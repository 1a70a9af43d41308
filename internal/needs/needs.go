// Package needs reads GitHub Actions workflows and Azure Pipelines YAML and
// tells what each token they use needs: for every secret or pipeline
// variable that carries a token, the steps that use it, what each needs by
// which row of Table, and the steps whose needs cannot be known.
//
// Workflows are parsed with rhysd/actionlint (the syntax tree with
// positions, and ${{ }} expressions parsed), pipelines with the YAML
// library actionlint uses, and shell scripts with mvdan.cc/sh: a git push
// inside an if, a pipeline or a multi-line string is found, and
// echo "git push" is not. Everything here is pure but Load, which reads
// the files.
package needs

import (
	"fmt"
	"slices"
	"strings"

	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/check"
)

// GitHubToken is the name the workflow's own token goes by: secrets.GITHUB_TOKEN,
// github.token, and the default of actions' token inputs.
const GitHubToken = "GITHUB_TOKEN"

// AzureAccessToken is the pipeline's own token, $(System.AccessToken).
const AzureAccessToken = "System.AccessToken"

// Need is what one step needs of a token.
type Need struct {
	// Scopes are classic scopes (GitHub) or Azure DevOps scopes.
	Scopes []string
	// Permissions are fine-grained permissions (GitHub).
	Permissions []check.Permission
	// Repositories are other repositories (owner/name) the step names.
	Repositories []string
	// Workflow are the job's GITHUB_TOKEN permissions in the workflow's
	// form (packages:write, id-token:write), when the token is the job's
	// own; nil means Permissions, those GITHUB_TOKEN can hold.
	Workflow []string
}

// Strings lists the need as requirements: scopes, then name:level.
func (n Need) Strings() []string {
	out := slices.Clone(n.Scopes)
	for _, p := range n.Permissions {
		out = append(out, p.String())
	}
	return out
}

// Use is one step using a token, with what it needs.
type Use struct {
	Token    string
	Platform check.Platform
	File     string
	Job      string
	Line     int
	Step     string
	Rule     string
	Need     Need
	Note     string
	// Source is where the rule's knowledge comes from, when the rule is
	// no row of Table.
	Source string
}

// Unknown is a step using a token whose needs cannot be known from the file.
type Unknown struct {
	Token    string
	Platform check.Platform
	File     string
	Job      string
	Line     int
	Step     string
	Why      string
}

// NotToken is a reference whose value carries no GitHub or Azure DevOps
// token: where the value goes instead.
type NotToken struct {
	Secret string
	File   string
	Line   int
	Why    string
}

// JobToken is the least permissions: block of a job whose steps use the
// job's own GITHUB_TOKEN, in the workflow's form.
type JobToken struct {
	File, Job   string
	Permissions []string // name:level, workflow form, sorted
	Notes       []string // what GITHUB_TOKEN cannot do for the job's steps
}

// SelfStep is a pat-check step of a workflow or pipeline: the one infer
// takes the token from.
type SelfStep struct {
	File string
	Job  string
	// ID is the step's id (GitHub) or name (Azure); Name what it shows.
	ID, Name string
	Line     int
	// Token is the secret or variable its token input names; empty when
	// the input is not one plain reference (TokenText says what it is).
	Token     string
	TokenText string
}

// Analysis is what one or more files say about their tokens.
type Analysis struct {
	Uses     []Use
	Unknowns []Unknown
	// Unused are steps given a token in their environment that run no
	// command that could use it.
	Unused []Unknown
	Self   []SelfStep
	// NotTokens are references that carry no token, with where they go.
	NotTokens []NotToken
	// Errors are files that could not be read or parsed.
	Errors []InputError
	// templates are the local template files a pipeline names.
	templates []string
	// literals are the variables a pipeline sets to plain values (lower
	// case), with their lines.
	literals map[string]int
}

func (a *Analysis) merge(b Analysis) {
	a.Uses = append(a.Uses, b.Uses...)
	a.Unknowns = append(a.Unknowns, b.Unknowns...)
	a.Unused = append(a.Unused, b.Unused...)
	a.Self = append(a.Self, b.Self...)
	a.NotTokens = append(a.NotTokens, b.NotTokens...)
	a.Errors = append(a.Errors, b.Errors...)
	a.templates = append(a.templates, b.templates...)
}

// Token is the summary for one token: the minimal requirements and the steps.
type Token struct {
	Name     string
	Platform check.Platform
	// Scopes are the minimal classic scopes (closed under implication:
	// no scope listed is implied by another) or the Azure DevOps scopes.
	Scopes []string
	// Permissions hold the highest level any step needs, by name.
	Permissions  []check.Permission
	Repositories []string
	Uses         []Use
	Unknowns     []Unknown
	Unused       []Unknown
}

// Tokens groups the analysis by token and platform, in order of first
// appearance.
func (a Analysis) Tokens() []Token {
	var out []Token
	idx := map[string]int{}
	get := func(name string, p check.Platform) *Token {
		k := fmt.Sprint(name, "\x00", p)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Token{Name: name, Platform: p})
		}
		return &out[i]
	}
	for _, u := range a.Uses {
		t := get(u.Token, u.Platform)
		t.Uses = append(t.Uses, u)
	}
	for _, u := range a.Unknowns {
		t := get(u.Token, u.Platform)
		t.Unknowns = append(t.Unknowns, u)
	}
	for _, u := range a.Unused {
		t := get(u.Token, u.Platform)
		t.Unused = append(t.Unused, u)
	}
	for i := range out {
		out[i].Scopes, out[i].Permissions, out[i].Repositories = Combine(out[i].Platform, out[i].Uses)
		if IsAppToken(out[i].Name) {
			// GITHUB_TOKEN and app installation tokens hold permissions,
			// never classic scopes.
			out[i].Scopes = nil
		}
	}
	return out
}

// IsAppToken reports whether a token name is the job's GITHUB_TOKEN or an
// app token an earlier step made (steps.ID.outputs.token): tokens with
// permissions and no classic scopes.
func IsAppToken(name string) bool {
	return name == GitHubToken || strings.HasPrefix(name, "steps.")
}

// Combine merges the needs of uses: GitHub scopes reduced to the minimal
// set (ghplatform.MinimalScopes), permissions at the highest level needed.
func Combine(p check.Platform, uses []Use) (scopes []string, perms []check.Permission, repos []string) {
	for _, u := range uses {
		for _, s := range u.Need.Scopes {
			if !slices.Contains(scopes, s) {
				scopes = append(scopes, s)
			}
		}
		for _, q := range u.Need.Permissions {
			if i := slices.IndexFunc(perms, func(h check.Permission) bool { return h.Name == q.Name }); i >= 0 {
				perms[i].Level = max(perms[i].Level, q.Level)
				continue
			}
			perms = append(perms, q)
		}
		for _, r := range u.Need.Repositories {
			if !slices.Contains(repos, r) {
				repos = append(repos, r)
			}
		}
	}
	if p == ghplatform.Platform {
		scopes = ghplatform.MinimalScopes(scopes)
	} else {
		scopes = minimalAzure(scopes)
	}
	slices.Sort(scopes)
	slices.SortFunc(perms, func(a, b check.Permission) int { return strings.Compare(a.Name, b.Name) })
	return scopes, perms, repos
}

// minimalAzure drops an Azure DevOps scope another one in the list includes.
func minimalAzure(scopes []string) []string {
	var out []string
	for _, s := range scopes {
		implied := false
		for _, o := range scopes {
			if o != s && slices.Contains(azplatform.ExpandScopes([]string{o}), s) {
				implied = true
				break
			}
		}
		if !implied {
			out = append(out, s)
		}
	}
	return out
}

// rowNeed is a row's needs as a Need, with workflow files pushed when the
// job touches them.
func rowNeed(r Row, touchesWorkflows bool) Need {
	n := Need{Scopes: slices.Clone(r.Scopes), Workflow: slices.Clone(r.Workflow)}
	for _, s := range r.Permissions {
		p, err := ghplatform.ParsePermission(s)
		if err != nil {
			continue // TestTableIsWellFormed keeps this from happening
		}
		n.Permissions = append(n.Permissions, p)
	}
	if r.Workflows && touchesWorkflows && r.platform() == ghplatform.Platform {
		n.Scopes = append(n.Scopes, "workflow")
		n.Permissions = append(n.Permissions, check.Permission{Name: "workflows", Level: check.LevelWrite})
	}
	return n
}
