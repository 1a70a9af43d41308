package needs

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
)

// JSON shapes of the needs output (the contract's).
type jsonStep struct {
	File  string   `json:"file"`
	Line  int      `json:"line"`
	Step  string   `json:"step"`
	Needs []string `json:"needs"`
	Rule  string   `json:"rule"`
	Job   string   `json:"job,omitempty"`
	Note  string   `json:"note,omitempty"`
}

type jsonUnknown struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Step string `json:"step"`
	Why  string `json:"why"`
	Job  string `json:"job,omitempty"`
}

type jsonToken struct {
	Secret       string            `json:"secret"`
	Provider     string            `json:"provider"`
	Scopes       []string          `json:"scopes"`
	Permissions  map[string]string `json:"permissions"`
	Repositories []string          `json:"repositories"`
	Steps        []jsonStep        `json:"steps"`
	Unknown      []jsonUnknown     `json:"unknown"`
	Unused       []jsonUnknown     `json:"unused,omitempty"`
}

type jsonNotToken struct {
	Secret string `json:"secret"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Why    string `json:"why"`
}

type jsonJobToken struct {
	File        string            `json:"file"`
	Job         string            `json:"job"`
	Permissions map[string]string `json:"permissions"`
	Notes       []string          `json:"notes,omitempty"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func unknowns(us []Unknown) []jsonUnknown {
	out := []jsonUnknown{}
	for _, u := range us {
		out = append(out, jsonUnknown{File: u.File, Line: u.Line, Step: u.Step, Why: u.Why, Job: u.Job})
	}
	return out
}

// Report is everything needs prints: the tokens, the references that are
// no tokens, each job's GITHUB_TOKEN block and the files not read.
type Report struct {
	Tokens    []Token
	NotTokens []NotToken
	JobTokens []JobToken
	Errors    []InputError
	Files     []string
}

// NewReport gathers an analysis for printing.
func NewReport(a Analysis, files []string) Report {
	return Report{Tokens: a.Tokens(), NotTokens: a.NotTokens, JobTokens: a.JobTokens(), Errors: a.Errors, Files: files}
}

// JSON renders the report as the contract's needs object, indented.
func (rep Report) JSON() []byte {
	out := struct {
		Tokens      []jsonToken    `json:"tokens"`
		NotTokens   []jsonNotToken `json:"not_tokens"`
		GitHubToken []jsonJobToken `json:"github_token"`
		Errors      []jsonError    `json:"errors"`
	}{Tokens: []jsonToken{}, NotTokens: []jsonNotToken{}, GitHubToken: []jsonJobToken{}, Errors: []jsonError{}}
	for _, t := range rep.Tokens {
		jt := jsonToken{Secret: t.Name, Provider: string(t.Platform), Scopes: t.Scopes, Permissions: map[string]string{},
			Repositories: t.Repositories, Steps: []jsonStep{}, Unknown: unknowns(t.Unknowns)}
		if jt.Scopes == nil {
			jt.Scopes = []string{}
		}
		if jt.Repositories == nil {
			jt.Repositories = []string{}
		}
		for _, p := range t.Permissions {
			jt.Permissions[p.Name] = p.Level.String()
		}
		for _, u := range t.Uses {
			n := u.Need.Strings()
			if IsAppToken(u.Token) {
				n, _ = workflowNeeds(u.Need)
			}
			if n == nil {
				n = []string{}
			}
			jt.Steps = append(jt.Steps, jsonStep{File: u.File, Line: u.Line, Step: u.Step, Needs: n, Rule: u.Rule, Job: u.Job, Note: u.Note})
		}
		if len(t.Unused) > 0 {
			jt.Unused = unknowns(t.Unused)
		}
		out.Tokens = append(out.Tokens, jt)
	}
	for _, n := range rep.NotTokens {
		out.NotTokens = append(out.NotTokens, jsonNotToken(n))
	}
	for _, j := range rep.JobTokens {
		jj := jsonJobToken{File: j.File, Job: j.Job, Permissions: map[string]string{}, Notes: j.Notes}
		for _, p := range j.Permissions {
			name, level, _ := strings.Cut(p, ":")
			jj.Permissions[name] = level
		}
		out.GitHubToken = append(out.GitHubToken, jj)
	}
	for _, e := range rep.Errors {
		out.Errors = append(out.Errors, jsonError{File: e.File, Line: e.Line, Message: e.Msg})
	}
	b, _ := json.MarshalIndent(out, "", "  ") // plain data: cannot fail
	return append(b, '\n')
}

// JSON renders tokens alone as the contract's needs object, indented.
func JSON(tokens []Token) []byte {
	return Report{Tokens: tokens}.JSON()
}

// Text renders the report for a terminal: each token's least needs, then
// file by file and job by job each step with its rule and note, the
// unknowns with their reasons, each job's GITHUB_TOKEN permissions as YAML
// to paste, and the references that are no tokens, one line each.
func (rep Report) Text() string {
	var b strings.Builder
	if len(rep.Tokens) == 0 && len(rep.NotTokens) == 0 {
		b.WriteString(rep.nothingFound())
	}
	for i, t := range rep.Tokens {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%s)\n", clean(t.Name), t.Platform)
		switch {
		case t.Platform == azplatform.Platform:
			fmt.Fprintf(&b, "  Azure DevOps scopes:        %s\n", orNone(t.Scopes))
		case IsAppToken(t.Name):
			var ps []string
			for _, u := range t.Uses {
				w, _ := workflowNeeds(u.Need)
				for _, p := range w {
					ps = raise(ps, p)
				}
			}
			slices.Sort(ps)
			fmt.Fprintf(&b, "  permissions:                %s (no classic scopes: it is not a personal access token)\n", orNone(ps))
		default:
			fmt.Fprintf(&b, "  classic scopes:             %s\n", orNone(t.Scopes))
			var ps []string
			for _, p := range t.Permissions {
				ps = append(ps, p.String())
			}
			fmt.Fprintf(&b, "  fine-grained permissions:   %s\n", orNone(ps))
		}
		if len(t.Repositories) > 0 {
			fmt.Fprintf(&b, "  other repositories:         %s\n", clean(strings.Join(t.Repositories, ", ")))
		}
		if n := len(t.Unknowns); n > 0 {
			fmt.Fprintf(&b, "  needs unknown at %d step(s): see below\n", n)
		}
	}
	rep.byFile(&b)
	return b.String()
}

// byFile writes the steps file by file and job by job.
func (rep Report) byFile(b *strings.Builder) {
	type entry struct {
		line int
		text string
	}
	type job struct {
		name    string
		entries []entry
	}
	files := map[string][]*job{}
	var order []string
	get := func(file, jobName string) *job {
		if _, ok := files[file]; !ok {
			order = append(order, file)
		}
		for _, j := range files[file] {
			if j.name == jobName {
				return j
			}
		}
		j := &job{name: jobName}
		files[file] = append(files[file], j)
		return j
	}
	for _, t := range rep.Tokens {
		for _, u := range t.Uses {
			need := strings.Join(u.Need.Strings(), ", ")
			if IsAppToken(u.Token) {
				w, _ := workflowNeeds(u.Need)
				need = strings.Join(w, ", ")
			}
			if need == "" {
				need = "nothing"
			}
			text := fmt.Sprintf("%s: %s needs %s (%s)", clean(u.Step), clean(u.Token), need, clean(u.Rule))
			if len(u.Need.Repositories) > 0 {
				text += " on " + clean(strings.Join(u.Need.Repositories, ", "))
			}
			if u.Note != "" {
				text += "; " + clean(u.Note)
			}
			j := get(u.File, u.Job)
			j.entries = append(j.entries, entry{u.Line, text})
		}
		for _, u := range t.Unknowns {
			j := get(u.File, u.Job)
			j.entries = append(j.entries, entry{u.Line, fmt.Sprintf("%s: %s needs unknown: %s", clean(u.Step), clean(u.Token), clean(u.Why))})
		}
		for _, u := range t.Unused {
			j := get(u.File, u.Job)
			j.entries = append(j.entries, entry{u.Line, fmt.Sprintf("%s: %s passed but not used: %s", clean(u.Step), clean(u.Token), clean(u.Why))})
		}
	}
	slices.Sort(order)
	for _, e := range rep.Errors {
		if !slices.Contains(order, e.File) {
			order = append(order, e.File)
		}
	}
	for _, f := range order {
		fmt.Fprintf(b, "\n%s\n", clean(f))
		for _, e := range rep.Errors {
			if e.File == f {
				if e.Line > 0 {
					fmt.Fprintf(b, "  not read (line %d): %s\n", e.Line, clean(e.Msg))
				} else {
					fmt.Fprintf(b, "  not read: %s\n", clean(e.Msg))
				}
			}
		}
		for _, j := range files[f] {
			if j.name != "" {
				fmt.Fprintf(b, "  job %s\n", clean(j.name))
			}
			slices.SortStableFunc(j.entries, func(x, y entry) int { return x.line - y.line })
			for _, e := range j.entries {
				fmt.Fprintf(b, "    line %d  %s\n", e.line, e.text)
			}
			for _, jt := range rep.JobTokens {
				if jt.File != f || jt.Job != j.name {
					continue
				}
				fmt.Fprintf(b, "    GITHUB_TOKEN: the job's least permissions block:\n")
				if len(jt.Permissions) == 0 {
					b.WriteString("      permissions: {}\n")
				} else {
					b.WriteString("      permissions:\n")
				}
				for _, p := range jt.Permissions {
					name, level, _ := strings.Cut(p, ":")
					fmt.Fprintf(b, "        %s: %s\n", name, level)
				}
				for _, n := range jt.Notes {
					fmt.Fprintf(b, "      note: %s\n", clean(n))
				}
			}
		}
		var nots []string
		for _, n := range rep.NotTokens {
			if n.File == f {
				nots = append(nots, fmt.Sprintf("    %s (line %d): %s\n", clean(n.Secret), n.Line, clean(n.Why)))
			}
		}
		if len(nots) > 0 {
			b.WriteString("  not tokens:\n")
			for _, n := range nots {
				b.WriteString(n)
			}
		}
	}
}

// Text renders tokens alone for a terminal.
func Text(tokens []Token, files []string) string {
	return Report{Tokens: tokens, Files: files}.Text()
}

func clean(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// nothingFound is the first line when no token and no other reference was
// found: how many files were read (those listed in Errors were not), so a
// file that could not be read is never counted as one without tokens.
func (rep Report) nothingFound() string {
	unread := map[string]bool{}
	for _, e := range rep.Errors {
		unread[e.File] = true
	}
	read := 0
	for _, f := range rep.Files {
		if !unread[f] {
			read++
		}
	}
	switch {
	case read == 0 && len(rep.Errors) > 0:
		return "No file could be read: see why below.\n"
	case read == 1:
		return "No step of the 1 file read uses a token pat-check recognises.\n"
	}
	return fmt.Sprintf("No step of the %d files read uses a token pat-check recognises.\n", read)
}
