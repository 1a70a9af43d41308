package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/pat-check/pat-check/internal/finding"
)

// Headline is the one-line verdict: the result and the first problem.
func (r Report) Headline() string {
	var first string
	for _, f := range r.Findings {
		if f.Severity == finding.Error || (first == "" && f.Severity == finding.Warning) {
			first = f.Message
			if f.Severity == finding.Error {
				break
			}
		}
	}
	head := map[Result]string{
		Pass:  "the token passed every check",
		Warn:  "the token passed, with warnings",
		Fail:  "the token failed",
		Error: "the token could not be checked",
	}[r.Result]
	if r.ConfigInvalid {
		head = "the options are invalid"
	}
	if first != "" && r.Result != Pass {
		head += ": " + first
	}
	return head
}

func stateIcon(s finding.State) string {
	switch s {
	case finding.Pass:
		return "✅"
	case finding.Warn:
		return "⚠️"
	case finding.Fail:
		return "❌"
	case finding.Skipped:
		return "⏭️"
	}
	return "❔"
}

func severityIcon(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "❌"
	case finding.Warning:
		return "⚠️"
	}
	return "ℹ️"
}

// mdCell makes text safe inside a Markdown table cell: no pipes breaking
// the table, no HTML, links, images or code spans, no line breaks.
func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "<", "&lt;", ">", "&gt;", "[", "\\[", "]", "\\]", "`", "\\`", "\r", " ", "\n", " ").Replace(s)
}

// mdText escapes what could turn free text (which quotes GitHub's messages)
// into HTML, links, images or code spans.
func mdText(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "[", "\\[", "]", "\\]", "`", "\\`").Replace(s)
}

// Markdown renders the step summary: a verdict line, the table of checks,
// then a "How to fix" section per problem.
func (r Report) Markdown() string {
	var b strings.Builder
	icon := map[Result]string{Pass: "✅", Warn: "⚠️", Fail: "❌", Error: "❔"}[r.Result]
	fmt.Fprintf(&b, "### %s pat-check: %s\n\n", icon, mdText(r.Headline()))
	fmt.Fprintf(&b, "%s\n\n", mdText(r.identity()))
	if len(r.Checks) > 0 {
		b.WriteString("| Check | State | Detail |\n|---|---|---|\n")
		for _, c := range r.Checks {
			fmt.Fprintf(&b, "| %s | %s %s | %s |\n", mdCell(c.Name), stateIcon(c.State), c.State, mdCell(c.Detail))
		}
		b.WriteString("\n")
	}
	b.WriteString(r.permissionTable())
	b.WriteString(r.leastPrivilege())
	fixes := 0
	for _, f := range r.Findings {
		if f.Fix == "" {
			continue
		}
		if fixes == 0 {
			b.WriteString("#### How to fix\n\n")
		}
		fixes++
		fmt.Fprintf(&b, "**%s `%s`**: %s\n\n", severityIcon(f.Severity), f.Code, mdText(f.Message))
		fmt.Fprintf(&b, "%s\n\n", mdFix(f.Fix))
		if f.URL != "" {
			fmt.Fprintf(&b, "[Open the page](%s)\n\n", mdLink(f.URL))
		}
	}
	return b.String()
}

// mdFix renders a fix: its text escaped as mdText does, and a fenced
// block (a workflow's permissions, which guidance writes from typed data)
// kept as a code block, with any backtick inside removed so that nothing
// can close the fence early.
func mdFix(s string) string {
	var out []string
	in := false
	for _, line := range strings.Split(s, "\n") {
		switch {
		case !in && strings.HasPrefix(line, "```") && strings.Trim(line[3:], "abcdefghijklmnopqrstuvwxyz") == "":
			in = true
			out = append(out, line)
		case in && line == "```":
			in = false
			out = append(out, line)
		case in:
			out = append(out, strings.ReplaceAll(line, "`", ""))
		default:
			out = append(out, mdText(line))
		}
	}
	if in {
		out = append(out, "```")
	}
	return strings.Join(out, "\n")
}

// leastPrivilege is the summary's "Least privilege" section, when a
// best-practice finding is present: what is granted, what the job needs,
// what to drop, and a line for each other practice found wanting.
func (r Report) leastPrivilege() string {
	var lines []string
	add := func(label, text string) {
		lines = append(lines, fmt.Sprintf("- **%s**: %s", label, mdText(text)))
	}
	for _, f := range r.Findings {
		a := f.About
		switch f.Code {
		case finding.ScopeExcess:
			add("Granted", strings.Join(r.Scopes, ", "))
			add("The job needs", orNone(a.Needed))
			add("Drop", strings.Join(a.Excess, ", "))
		case finding.PermissionExcess:
			add("Granted on "+a.Target+" (probed)", strings.Join(append(slices.Clone(a.Needed), a.Excess...), ", "))
			add("The job needs", orNone(a.Needed))
			add("Drop", strings.Join(a.Excess, ", "))
		case finding.TokenKindAdvice:
			if len(a.NoEquivalent) > 0 {
				add("Token kind", "a classic token is still needed for "+strings.Join(a.NoEquivalent, "; "))
			} else {
				add("Token kind", "a fine-grained token would do, with "+strings.Join(a.Equivalents, ", ")+" (narrowed to what the job uses)")
			}
		case finding.TokenLifetimeTooLong:
			add("Lifetime", f.Message)
		case finding.TokenCommitted:
			add("Committed", fmt.Sprintf("%s, line %d: revoke the token now", a.File, a.Line))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "#### Least privilege\n\n" + strings.Join(lines, "\n") + "\n\n"
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// mdLink keeps a URL from closing the Markdown link early.
func mdLink(u string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E").Replace(u)
}

// identity says what token this was, without the token.
func (r Report) identity() string {
	parts := []string{}
	if r.TokenType != "" {
		parts = append(parts, "Token kind: "+r.TokenType)
	}
	if r.Login != "" {
		parts = append(parts, "account: "+r.Login)
	}
	if r.ExpiresAt != nil && r.DaysLeft != nil {
		parts = append(parts, fmt.Sprintf("expires: %s (%d days left)", r.ExpiresAt.UTC().Format("2006-01-02"), *r.DaysLeft))
	}
	if len(r.Scopes) > 0 {
		parts = append(parts, "scopes: "+strings.Join(r.Scopes, ", "))
	}
	return strings.Join(parts, " · ")
}

// TextStyle colours the command-line text; the zero value is plain.
type TextStyle struct{ Color bool }

func (s TextStyle) paint(code, text string) string {
	if !s.Color {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s TextStyle) state(st finding.State) string {
	switch st {
	case finding.Pass:
		return s.paint("32", "✓")
	case finding.Warn:
		return s.paint("33", "!")
	case finding.Fail:
		return s.paint("31", "✗")
	case finding.Skipped:
		return s.paint("2", "-")
	}
	return s.paint("2", "?")
}

func (s TextStyle) severity(sev finding.Severity) string {
	switch sev {
	case finding.Error:
		return s.paint("1;31", "error")
	case finding.Warning:
		return s.paint("1;33", "warning")
	}
	return s.paint("1;36", "notice")
}

// Text renders the report for a terminal. redacted is how the token is
// shown (its kind prefix and asterisks).
func (r Report) Text(s TextStyle, redacted string) string {
	var b strings.Builder
	res := strings.ToUpper(string(r.Result))
	switch r.Result {
	case Pass:
		res = s.paint("1;32", res)
	case Warn:
		res = s.paint("1;33", res)
	default:
		res = s.paint("1;31", res)
	}
	fmt.Fprintf(&b, "pat-check %s  %s\n", res, r.Headline())
	id := r.identity()
	if redacted != "" {
		id = "Token: " + redacted + " · " + id
	}
	fmt.Fprintf(&b, "%s\n", strings.TrimSuffix(id, " · "))
	if len(r.Checks) > 0 {
		b.WriteString("\n")
		names := make([]string, len(r.Checks))
		for i, c := range r.Checks {
			names[i] = c.Name
		}
		for i, name := range padded(names) {
			c := r.Checks[i]
			fmt.Fprintf(&b, "  %s %s%s\n", s.state(c.State), name, c.Detail)
		}
	}
	if len(r.Permissions) > 0 {
		b.WriteString("\n  Permissions:\n")
		names := make([]string, len(r.Permissions))
		for i, c := range r.Permissions {
			names[i] = c.Permission
		}
		for i, name := range padded(names) {
			c := r.Permissions[i]
			fmt.Fprintf(&b, "    %s%s: %s\n", name, c.Target, c.State)
		}
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "\n%s %s: %s\n", s.severity(f.Severity), f.Code, f.Message)
		if f.Fix != "" {
			b.WriteString("  How to fix:\n")
			for _, line := range strings.Split(f.Fix, "\n") {
				fmt.Fprintf(&b, "    %s\n", line)
			}
		}
		if f.URL != "" {
			fmt.Fprintf(&b, "    Link: %s\n", f.URL)
		}
	}
	return b.String()
}

// padded lays the cells out as one column with text/tabwriter: each cell
// followed by the spaces that bring it two past the widest one, counted in
// characters. The state icon before a check's name stays outside the
// column: its colour codes would count as width. A cell's text is escaped
// so that a tab in it cannot start a column, and a line break in it is
// shown as a space, one cell being one row.
func padded(cells []string) []string {
	esc := string([]byte{tabwriter.Escape})
	clean := strings.NewReplacer("\r", " ", "\n", " ", esc, "")
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.StripEscape)
	for _, c := range cells {
		_, _ = io.WriteString(tw, esc+clean.Replace(c)+esc+"\t\n")
	}
	_ = tw.Flush() // a strings.Builder does not fail
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}

var cellIcons = map[string]string{
	"granted": "✅ granted", "public": "🌐 public", "missing": "❌ missing",
	"unverified": "⚠️ unverified", "unreachable": "⛔ unreachable", "unknown": "❔ unknown",
}

// permissionTable renders the permission × target table: one row per
// permission, one column per repository or organization.
func (r Report) permissionTable() string {
	if len(r.Permissions) == 0 {
		return ""
	}
	var perms, targets []string
	cells := map[[2]string]string{}
	for _, c := range r.Permissions {
		if !slices.Contains(perms, c.Permission) {
			perms = append(perms, c.Permission)
		}
		if !slices.Contains(targets, c.Target) {
			targets = append(targets, c.Target)
		}
		cells[[2]string{c.Permission, c.Target}] = cellIcons[c.State]
	}
	var b strings.Builder
	b.WriteString("| Permission |")
	for _, t := range targets {
		fmt.Fprintf(&b, " %s |", mdCell(t))
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(targets)) + "\n")
	for _, p := range perms {
		fmt.Fprintf(&b, "| %s |", mdCell(p))
		for _, t := range targets {
			v, ok := cells[[2]string{p, t}]
			if !ok {
				v = "—"
			}
			fmt.Fprintf(&b, " %s |", v)
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	for _, c := range r.Permissions {
		if c.State == "public" {
			b.WriteString("🌐 public: the repository is public, so anyone may read it; the read proves nothing about the token's grant.\n\n")
			break
		}
	}
	return b.String()
}

// Annotation is a finding as one CI annotation or issue: what and why, then
// the fix, then the link when the fix does not already show it.
func Annotation(f finding.Finding) string {
	msg := f.Message
	if f.Fix != "" {
		msg += "\n\nHow to fix:\n" + f.Fix
	}
	if f.URL != "" && !strings.Contains(f.Fix, f.URL) {
		msg += "\n" + f.URL
	}
	return msg
}
