package needs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
)

// Inferred is what a token needs, as infer found it.
type Inferred struct {
	Token    string
	Platform check.Platform
	// File and Job are where it was looked for (Job empty: every job).
	File, Job    string
	Scopes       []string
	Permissions  []check.Permission
	Repositories []string
	Uses         []Use
	Unknowns     []Unknown
}

// InferStep finds pat-check's own step in the analysis of one file (the
// one in job, when job is given; among several, the one action names:
// its id, or the runner's __OWNER_REPO[_N] name) and returns what the
// other steps of its job that use the same token need.
func InferStep(a Analysis, job, action string) (Inferred, error) {
	var cands []SelfStep
	for _, s := range a.Self {
		if job == "" || strings.EqualFold(s.Job, job) {
			cands = append(cands, s)
		}
	}
	if len(cands) == 0 {
		where := "the file"
		if job != "" {
			where = "job " + job
		}
		return Inferred{}, fmt.Errorf("no step of %s uses pat-check (uses: OWNER/pat-check@…, or task: PatCheck@1)", where)
	}
	self, err := pickSelf(cands, action)
	if err != nil {
		return Inferred{}, err
	}
	if self.Token == "" {
		return Inferred{}, fmt.Errorf("%s:%d: the token input is %q, not one ${{ secrets.NAME }} or $(NAME) reference, so the steps that use the same token cannot be found: give scopes or permissions",
			self.File, self.Line, clip(self.TokenText))
	}
	return collect(a, self.Token, self.File, self.Job), nil
}

func pickSelf(cands []SelfStep, action string) (SelfStep, error) {
	if len(cands) == 1 {
		return cands[0], nil
	}
	for _, c := range cands {
		if c.ID != "" && c.ID == action {
			return c, nil
		}
	}
	// The runner names a step without an id __OWNER_REPO, then
	// __OWNER_REPO_2, … for the same action again in the job.
	if strings.HasPrefix(action, "__") {
		n := 1
		if i := strings.LastIndex(action, "_"); i > 2 {
			if k, err := strconv.Atoi(action[i+1:]); err == nil {
				n = k
			}
		}
		var noID []SelfStep
		for _, c := range cands {
			if c.ID == "" {
				noID = append(noID, c)
			}
		}
		if n >= 1 && n <= len(noID) {
			return noID[n-1], nil
		}
	}
	same := true
	for _, c := range cands[1:] {
		same = same && c.Token == cands[0].Token
	}
	if same {
		return cands[0], nil
	}
	return SelfStep{}, fmt.Errorf("job %s has %d pat-check steps with different tokens, and none is the running one by its id: give each an id, or give scopes or permissions", cands[0].Job, len(cands))
}

// InferSecret returns what the steps using a named secret need, in every
// job of the analysis.
func InferSecret(a Analysis, secret string) (Inferred, error) {
	name := secret
	if n, ok := strings.CutPrefix(strings.TrimSpace(secret), "secrets."); ok {
		name = n
	}
	for _, u := range a.Uses {
		if strings.EqualFold(u.Token, name) {
			return collect(a, u.Token, "", ""), nil
		}
	}
	for _, u := range a.Unknowns {
		if strings.EqualFold(u.Token, name) {
			return collect(a, u.Token, "", ""), nil
		}
	}
	var names []string
	for _, t := range a.Tokens() {
		if !slices.Contains(names, t.Name) {
			names = append(names, t.Name)
		}
	}
	if len(names) == 0 {
		return Inferred{}, fmt.Errorf("no step uses %s, and no other token is used either", secret)
	}
	return Inferred{}, fmt.Errorf("no step uses %s; the tokens used are %s", secret, strings.Join(names, ", "))
}

// PlatformName names a platform as messages do.
func PlatformName(p check.Platform) string {
	if p == azplatform.Platform {
		return azplatform.Name
	}
	return ghplatform.Name
}

// collect gathers the uses of a token in one file and job (or all).
func collect(a Analysis, tok, file, job string) Inferred {
	in := Inferred{Token: tok, File: file, Job: job}
	same := func(t, f, j string) bool {
		return strings.EqualFold(t, tok) && (file == "" || f == file) && (job == "" || j == job)
	}
	count := map[check.Platform]int{}
	for _, u := range a.Uses {
		if same(u.Token, u.File, u.Job) {
			count[u.Platform]++
		}
	}
	in.Platform = ghplatform.Platform
	if count[azplatform.Platform] > count[ghplatform.Platform] || (len(count) == 0 && tok == AzureAccessToken) {
		in.Platform = azplatform.Platform
	}
	for _, u := range a.Uses {
		if same(u.Token, u.File, u.Job) {
			if u.Platform == in.Platform {
				in.Uses = append(in.Uses, u)
			} else {
				in.Unknowns = append(in.Unknowns, Unknown{Token: u.Token, Platform: u.Platform, File: u.File, Job: u.Job, Line: u.Line, Step: u.Step,
					Why: fmt.Sprintf("needs a token for %s (%s), while the other steps need one for %s", PlatformName(u.Platform), u.Rule, PlatformName(in.Platform))})
			}
		}
	}
	for _, u := range a.Unknowns {
		if same(u.Token, u.File, u.Job) {
			in.Unknowns = append(in.Unknowns, u)
		}
	}
	in.Scopes, in.Permissions, in.Repositories = Combine(in.Platform, in.Uses)
	return in
}
