package needs

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/pat-check/pat-check/internal/check"
)

// Names spell the platforms as the output does (the providers' IDs).
type Names map[check.Platform]string

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
	Repositories []string          `json:"repositories,omitempty"`
	Steps        []jsonStep        `json:"steps"`
	Unknown      []jsonUnknown     `json:"unknown"`
	Unused       []jsonUnknown     `json:"unused,omitempty"`
}

func unknowns(us []Unknown) []jsonUnknown {
	out := []jsonUnknown{}
	for _, u := range us {
		out = append(out, jsonUnknown{File: u.File, Line: u.Line, Step: u.Step, Why: u.Why, Job: u.Job})
	}
	return out
}

// JSON renders tokens as the contract's needs object, indented.
func JSON(tokens []Token, names Names) []byte {
	out := struct {
		Tokens []jsonToken `json:"tokens"`
	}{Tokens: []jsonToken{}}
	for _, t := range tokens {
		jt := jsonToken{Secret: t.Name, Provider: names[t.Platform], Scopes: t.Scopes, Permissions: map[string]string{},
			Repositories: t.Repositories, Steps: []jsonStep{}, Unknown: unknowns(t.Unknowns)}
		if jt.Scopes == nil {
			jt.Scopes = []string{}
		}
		for _, p := range t.Permissions {
			jt.Permissions[p.Name] = p.Level.String()
		}
		for _, u := range t.Uses {
			n := u.Need.Strings()
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
	b, _ := json.MarshalIndent(out, "", "  ") // plain data: cannot fail
	return append(b, '\n')
}

// Text renders tokens for a terminal.
func Text(tokens []Token, names Names, files []string) string {
	var b strings.Builder
	if len(tokens) == 0 {
		fmt.Fprintf(&b, "No step of the %d file(s) read uses a token pat-check recognises.\n", len(files))
		return b.String()
	}
	for i, t := range tokens {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s (%s)\n", t.Name, names[t.Platform])
		if t.Platform == check.AzureDevOps {
			fmt.Fprintf(&b, "  Azure DevOps scopes:        %s\n", orNone(t.Scopes))
		} else {
			fmt.Fprintf(&b, "  classic scopes:             %s\n", orNone(t.Scopes))
			var ps []string
			for _, p := range t.Permissions {
				ps = append(ps, p.String())
			}
			fmt.Fprintf(&b, "  fine-grained permissions:   %s\n", orNone(ps))
		}
		if len(t.Repositories) > 0 {
			fmt.Fprintf(&b, "  other repositories:         %s\n", strings.Join(t.Repositories, ", "))
		}
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		if len(t.Uses) > 0 {
			b.WriteString("  steps:\n")
			for _, u := range t.Uses {
				need := strings.Join(u.Need.Strings(), ", ")
				if need == "" {
					need = "nothing"
				}
				fmt.Fprintf(tw, "    %s:%d\t%s\t%s\t(%s)\n", u.File, u.Line, clean(u.Step), need, u.Rule)
			}
			_ = tw.Flush()
		}
		if len(t.Unknowns) > 0 {
			b.WriteString("  needs unknown:\n")
			for _, u := range t.Unknowns {
				fmt.Fprintf(tw, "    %s:%d\t%s\t%s\n", u.File, u.Line, clean(u.Step), u.Why)
			}
			_ = tw.Flush()
		}
		if len(t.Unused) > 0 {
			b.WriteString("  passed but not used:\n")
			for _, u := range t.Unused {
				fmt.Fprintf(tw, "    %s:%d\t%s\t%s\n", u.File, u.Line, clean(u.Step), u.Why)
			}
			_ = tw.Flush()
		}
	}
	return b.String()
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
