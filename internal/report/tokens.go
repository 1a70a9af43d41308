package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
)

// TokenReport is one token of a run that checks several (the tokens
// input): the contract's tokens[] entry.
type TokenReport struct {
	Name      string     `json:"name"`
	Result    Result     `json:"result"`
	Provider  string     `json:"provider"`
	TokenType string     `json:"tokenType"`
	Valid     bool       `json:"valid"`
	Login     string     `json:"login"`
	ExpiresAt *time.Time `json:"expiresAt"`
	DaysLeft  *int       `json:"daysLeft"`
	Missing   []string   `json:"missing"`
	Excess    []string   `json:"excess"`
	// UsedBy are the jobs that use the token, as file#job.
	UsedBy   []string          `json:"usedBy"`
	Findings []finding.Finding `json:"findings"`
	// Reason is the table's one-line reason for the verdict.
	Reason string `json:"reason"`
}

// Skipped is a value of the tokens input that was not checked: not a
// token (never printed, never sent), or the job's own GITHUB_TOKEN that no
// line named.
type Skipped struct {
	Name string `json:"name"`
	Why  string `json:"why"`
}

// NewTokenReport reads one token's report into its row: the findings
// carry the token's name, and the reason is the worst problem's summary.
func NewTokenReport(name string, r Report, usedBy []string) TokenReport {
	t := TokenReport{
		Name: name, Result: r.Result, Provider: r.Provider, TokenType: r.TokenType, Valid: r.Valid,
		Login: r.Login, ExpiresAt: r.ExpiresAt, DaysLeft: r.DaysLeft,
		Missing: nonNil(r.Missing), Excess: nonNil(r.Excess), UsedBy: nonNil(usedBy),
		Findings: make([]finding.Finding, len(r.Findings)),
	}
	for i, f := range r.Findings {
		f.Token = name
		t.Findings[i] = f
	}
	switch ps := r.Problems(); {
	case r.ConfigInvalid && len(ps) > 0:
		t.Reason = finding.Summary(ps[0], r.DaysLeft)
	case len(ps) > 0:
		t.Reason = finding.Summary(ps[0], r.DaysLeft) + more(len(ps)-1)
	case slices.ContainsFunc(r.Findings, func(f finding.Finding) bool { return f.Code == finding.TokenUnused }):
		t.Reason = "no workflow uses it: revoke it if nothing else does"
	default:
		t.Reason = "passed every check"
	}
	return t
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// Several assembles the report of a run that checked several tokens, each
// token's result decided: every token's findings (each carrying its name)
// in one list, valid when every token was accepted, the soonest expiry,
// and missing and excess as NAME:requirement. Decide then makes its result
// the worst of theirs (the findings are theirs, and the run's).
func Several(version string, tokens []TokenReport, skipped []Skipped, run []finding.Finding) Report {
	r := Report{Version: version, Tokens: tokens, NotChecked: skipped, Valid: len(tokens) > 0}
	for _, t := range tokens {
		r.Findings = append(r.Findings, t.Findings...)
		r.Valid = r.Valid && t.Valid
		for _, m := range t.Missing {
			r.Missing = append(r.Missing, t.Name+":"+m)
		}
		for _, e := range t.Excess {
			r.Excess = append(r.Excess, t.Name+":"+e)
		}
		if t.DaysLeft != nil && (r.DaysLeft == nil || *t.DaysLeft < *r.DaysLeft) {
			r.DaysLeft, r.ExpiresAt = t.DaysLeft, t.ExpiresAt
		}
		if r.Provider == "" || r.Provider == t.Provider {
			r.Provider = t.Provider
		} else {
			r.Provider = "several"
		}
	}
	r.Findings = append(r.Findings, run...)
	return r
}

// Failing names the tokens whose result is fail.
func (r Report) Failing() []string {
	var out []string
	for _, t := range r.Tokens {
		if t.Result == Fail {
			out = append(out, t.Name)
		}
	}
	return out
}

// Expiring names the tokens that expire within warn-days-left (or
// min-days-left), not yet expired.
func (r Report) Expiring() []string {
	var out []string
	for _, t := range r.Tokens {
		if slices.ContainsFunc(t.Findings, func(f finding.Finding) bool {
			return f.Code == finding.TokenExpiring || f.Code == finding.TokenExpiryWarning
		}) {
			out = append(out, t.Name)
		}
	}
	return out
}

// tokenReport is one token as a Report, to word its findings.
func (t TokenReport) report() Report {
	return Report{Result: t.Result, Provider: t.Provider, TokenType: t.TokenType, Valid: t.Valid, Login: t.Login,
		ExpiresAt: t.ExpiresAt, DaysLeft: t.DaysLeft, Missing: t.Missing, Excess: t.Excess, Findings: t.Findings}
}

// severalVerdict is the verdict of a run over several tokens: how many
// fail, warn and pass, then the worst problem of the first token that has
// one, named.
func (r Report) severalVerdict(all bool) string {
	count := map[Result]int{}
	for _, t := range r.Tokens {
		count[t.Result]++
	}
	var parts []string
	for _, c := range []struct {
		res  Result
		word string
	}{{Fail, "failing"}, {Error, "inconclusive"}, {Warn, "with warnings"}, {Pass, "passing"}} {
		if n := count[c.res]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, c.word))
		}
	}
	head := fmt.Sprintf("%s checked", finding.Counted(len(r.Tokens), "token"))
	if len(parts) > 0 {
		head += ": " + strings.Join(parts, ", ")
	}
	if len(r.Tokens) == 0 {
		head = "no token to check"
		for _, f := range r.Findings {
			if f.Severity == finding.Error {
				return head + ": " + finding.Summary(f, r.DaysLeft)
			}
		}
		return head
	}
	var named []string
	for _, res := range []Result{Fail, Error, Warn} {
		for _, t := range r.Tokens {
			if t.Result == res {
				named = append(named, t.Name+" ("+t.Reason+")")
			}
		}
	}
	if len(named) == 0 {
		return head
	}
	if !all && len(named) > 1 {
		return head + "; " + named[0] + more(len(named)-1)
	}
	return head + "; " + strings.Join(named, "; ")
}

// expiryCell is a token's expiry for the table: the date and the days
// left, "never", or "unknown".
func (t TokenReport) expiryCell() string {
	switch {
	case t.ExpiresAt != nil && t.DaysLeft != nil && *t.DaysLeft < 0:
		return fmt.Sprintf("%s (%s)", t.ExpiresAt.UTC().Format("2006-01-02"), finding.ExpiredAgo(-*t.DaysLeft))
	case t.ExpiresAt != nil && t.DaysLeft != nil:
		return fmt.Sprintf("%s (%s left)", t.ExpiresAt.UTC().Format("2006-01-02"), finding.Counted(*t.DaysLeft, "day"))
	case slices.ContainsFunc(t.Findings, func(f finding.Finding) bool { return f.Code == finding.TokenNoExpiration }):
		return "never"
	case !t.Valid:
		return "—"
	}
	return "unknown"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// usedByCell lists the jobs, or says none does.
func (t TokenReport) usedByCell() string {
	if len(t.UsedBy) == 0 {
		return "no workflow"
	}
	return strings.Join(t.UsedBy, ", ")
}

// severalMarkdown is the summary of a run over several tokens: the
// verdict, one table row per token (and per value left alone), then the
// fixes grouped by token.
func (r Report) severalMarkdown() string {
	var b strings.Builder
	icon := map[Result]string{Pass: "✅", Warn: "⚠️", Fail: "❌", Error: "❔"}[r.Result]
	fmt.Fprintf(&b, "### %s pat-check %s: %s\n\n", icon, strings.ToUpper(string(r.Result)), mdText(r.severalVerdict(false)))
	if len(r.Tokens)+len(r.NotChecked) > 0 {
		b.WriteString("| Token | Kind | Account | Expires | Used by | Verdict | Reason |\n|---|---|---|---|---|---|---|\n")
		for _, t := range r.Tokens {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s %s | %s |\n", mdCell(t.Name), mdCell(orDash(t.TokenType)), mdCell(orDash(t.Login)),
				mdCell(t.expiryCell()), mdCell(t.usedByCell()), resultIcon(t.Result), t.Result, mdCell(t.Reason))
		}
		for _, s := range r.NotChecked {
			fmt.Fprintf(&b, "| %s | — | — | — | — | ⏭️ not checked | %s |\n", mdCell(s.Name), mdCell(s.Why))
		}
		b.WriteString("\n")
	}
	fixes := 0
	heading := ""
	for _, f := range r.Findings {
		if f.Fix == "" {
			continue
		}
		if fixes == 0 {
			b.WriteString("#### How to fix\n\n")
		}
		fixes++
		if f.Token != heading {
			heading = f.Token
			if heading != "" {
				fmt.Fprintf(&b, "##### %s\n\n", mdText(heading))
			}
		}
		fmt.Fprintf(&b, "**%s %s** (`%s`): %s\n\n", severityIcon(f.Severity), mdText(finding.Title(f, r.of(f).DaysLeft)), f.Code, mdText(f.Message))
		b.WriteString(mdSteps(f))
	}
	return b.String()
}

// of is the report a finding is worded against: its token's, or the run's.
func (r Report) of(f finding.Finding) Report {
	for _, t := range r.Tokens {
		if t.Name == f.Token {
			return t.report()
		}
	}
	return r
}

func resultIcon(res Result) string {
	return map[Result]string{Pass: "✅", Warn: "⚠️", Fail: "❌", Error: "❔"}[res]
}

// severalText is the text of a run over several tokens: the verdict, the
// table, then the findings the platform does not show as annotations,
// grouped by token.
func (r Report) severalText(s TextStyle) string {
	var b strings.Builder
	res := s.result(r.Result)
	fmt.Fprintf(&b, "%s: %s\n", res, r.severalVerdict(false))
	if s.Quiet {
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "%s %s: %s%s\n", s.severity(f.Severity), f.Code, tokenPrefix(f), f.Message)
		}
		return b.String()
	}
	if len(r.Tokens)+len(r.NotChecked) > 0 {
		cols := [][]string{{"Token"}, {"Kind"}, {"Account"}, {"Expires"}, {"Used by"}, {"Verdict"}}
		for _, t := range r.Tokens {
			for i, c := range []string{t.Name, orDash(t.TokenType), orDash(t.Login), t.expiryCell(), t.usedByCell(), string(t.Result)} {
				cols[i] = append(cols[i], c)
			}
		}
		for _, n := range r.NotChecked {
			for i, c := range []string{n.Name, "—", "—", "—", "—", "not checked"} {
				cols[i] = append(cols[i], c)
			}
		}
		for i := range cols {
			cols[i] = padded(cols[i])
		}
		reasons := []string{"Reason"}
		for _, t := range r.Tokens {
			reasons = append(reasons, t.Reason)
		}
		for _, n := range r.NotChecked {
			reasons = append(reasons, n.Why)
		}
		b.WriteString("\n")
		for row := range cols[0] {
			b.WriteString("  ")
			for i := range cols {
				b.WriteString(cols[i][row])
			}
			b.WriteString(strings.NewReplacer("\r", " ", "\n", " ").Replace(reasons[row]) + "\n")
		}
	}
	token := ""
	for _, f := range r.Findings {
		if s.Annotated != nil && s.Annotated(f.Severity) {
			continue
		}
		if f.Token != token {
			token = f.Token
			if token != "" {
				fmt.Fprintf(&b, "\n%s:\n", token)
			}
		}
		fmt.Fprintf(&b, "%s %s: %s\n", s.severity(f.Severity), f.Code, f.Message)
		writeFix(&b, f)
	}
	return b.String()
}

// Title is a finding's title in this report: in a run over several
// tokens, its token's name first ("PUSH_PAT: Missing scope: workflow"),
// and the days left its own token's.
func (r Report) Title(f finding.Finding) string {
	return tokenPrefix(f) + finding.Title(f, r.of(f).DaysLeft)
}

// tokenPrefix names a finding's token before its message: "DEPLOY_PAT: ".
func tokenPrefix(f finding.Finding) string {
	if f.Token == "" {
		return ""
	}
	return f.Token + ": "
}
