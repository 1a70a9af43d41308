package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/pat-check/pat-check/internal/finding"
)

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
	case finding.Noted:
		return "ℹ️"
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

// Markdown renders the step summary: a heading that counts the problems,
// the table of checks, then a "How to fix" section per problem whose steps
// are a numbered list, with YAML and commands in fenced code blocks.
func (r Report) Markdown() string {
	if r.Tokens != nil {
		return r.severalMarkdown()
	}
	var b strings.Builder
	icon := map[Result]string{Pass: "✅", Warn: "⚠️", Fail: "❌", Error: "❔"}[r.Result]
	fmt.Fprintf(&b, "### %s pat-check %s: %s\n\n", icon, strings.ToUpper(string(r.Result)), mdText(r.verdict(true)))
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
		if f.Fix == "" || r.Aside(f) {
			continue
		}
		if fixes == 0 {
			b.WriteString("#### How to fix\n\n")
		}
		fixes++
		fmt.Fprintf(&b, "**%s %s** (`%s`): %s\n\n", severityIcon(f.Severity), mdText(finding.Title(f, r.DaysLeft)), f.Code, mdText(f.Message))
		b.WriteString(mdSteps(f))
	}
	for _, f := range r.Findings {
		if f.Fix == "" || !r.Aside(f) {
			continue
		}
		// Advice on a passing run: its steps are there for whoever wants
		// them, folded away from whoever reads the verdict.
		fmt.Fprintf(&b, "<details><summary>%s %s (<code>%s</code>)</summary>\n\n%s\n\n", severityIcon(f.Severity), mdText(finding.Title(f, r.DaysLeft)), f.Code, mdText(f.Message))
		b.WriteString(mdSteps(f))
		b.WriteString("</details>\n\n")
	}
	return b.String()
}

// mdSteps renders a fix as a numbered list. A step's first line is prose, in
// which the finding's link becomes a link named after its page; the lines
// after it are a block to copy, fenced so that it stays code.
func mdSteps(f finding.Finding) string {
	steps := f.Steps
	if len(steps) == 0 {
		steps = finding.SplitSteps(f.Fix)
	}
	var b strings.Builder
	linked := false
	link := ""
	if f.URL != "" {
		link = fmt.Sprintf("[%s](%s)", LinkLabel(f.URL), mdLink(f.URL))
	}
	for i, st := range steps {
		marker := fmt.Sprintf("%d. ", i+1)
		lines := strings.Split(st, "\n")
		prose := mdText(lines[0])
		if link != "" && strings.Contains(prose, mdText(f.URL)) {
			prose = linkInProse(prose, mdText(f.URL), LinkLabel(f.URL), mdLink(f.URL))
			linked = true
		}
		fmt.Fprintf(&b, "%s%s\n", marker, prose)
		if code := lines[1:]; len(code) > 0 {
			ind := strings.Repeat(" ", len(marker))
			fence := fenceFor(code)
			fmt.Fprintf(&b, "\n%s%s\n", ind, fence)
			for _, l := range code {
				fmt.Fprintf(&b, "%s%s\n", ind, l)
			}
			fmt.Fprintf(&b, "%s%s\n\n", ind, fence)
		}
	}
	b.WriteString("\n")
	if link != "" && !linked {
		fmt.Fprintf(&b, "%s\n\n", link)
	}
	return b.String()
}

// linkInProse replaces the URL in a step's prose with a link named after
// its page. When the word before the URL is the label's verb ("Open URL"),
// the label drops it: "Open [your personal access tokens](…)", not "Open
// [Open your personal access tokens](…)".
func linkInProse(prose, shownURL, label, target string) string {
	var b strings.Builder
	rest := prose
	for {
		i := urlIndex(rest, shownURL)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		before := rest[:i]
		l := label
		fields := strings.Fields(before)
		if verb, tail, ok := strings.Cut(label, " "); ok && len(fields) > 0 && strings.HasSuffix(before, " ") &&
			strings.EqualFold(fields[len(fields)-1], verb) {
			l = tail
		}
		fmt.Fprintf(&b, "%s[%s](%s)", before, l, target)
		rest = rest[i+len(shownURL):]
	}
}

// urlIndex is where url stands whole in s, or -1: not where it only begins
// a longer address (https://github.com/settings/tokens in
// https://github.com/settings/tokens/new?scopes=repo). Sentence
// punctuation after it ends it when a space or the end follows.
func urlIndex(s, url string) int {
	for off := 0; ; {
		i := strings.Index(s[off:], url)
		if i < 0 {
			return -1
		}
		i += off
		after := s[i+len(url):]
		if after == "" || after[0] == ' ' || after[0] == ')' ||
			(strings.ContainsRune(".,;:!?", rune(after[0])) && (len(after) == 1 || after[1] == ' ')) {
			return i
		}
		off = i + 1
	}
}

// fenceFor is a backtick fence longer than any run of backticks in the
// code, so that nothing in it can close the block.
func fenceFor(code []string) string {
	longest := 0
	for _, l := range code {
		run := 0
		for _, c := range l {
			if c == '`' {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
	}
	return strings.Repeat("`", max(3, longest+1))
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
			named := make([]string, len(a.Places))
			for i, p := range a.Places {
				named[i] = p.String()
			}
			add("Committed", strings.Join(named, ", ")+": revoke the token now")
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
		day := r.ExpiresAt.UTC().Format("2006-01-02")
		if r.expired() {
			parts = append(parts, fmt.Sprintf("expired: %s (%s)", day, strings.TrimPrefix(finding.ExpiredAgo(-*r.DaysLeft), "expired ")))
		} else {
			parts = append(parts, fmt.Sprintf("expires: %s (%s left)", day, finding.Counted(*r.DaysLeft, "day")))
		}
	}
	if len(r.Scopes) > 0 {
		parts = append(parts, "scopes: "+strings.Join(r.Scopes, ", "))
	}
	return strings.Join(parts, " · ")
}

// expired is true when a finding says the token has expired: a day count
// of 0 alone cannot tell "expires within the day" from "expired within it".
func (r Report) expired() bool {
	for _, f := range r.Findings {
		if f.Code == finding.TokenExpired {
			return true
		}
	}
	return r.DaysLeft != nil && *r.DaysLeft < 0
}

// TextStyle is how the text is shown; the zero value is plain and complete.
type TextStyle struct {
	// Color paints the verdict and the states for a terminal.
	Color bool
	// Quiet keeps only the verdict line and one line per finding.
	Quiet bool
	// Annotated tells the findings the platform shows as annotations or
	// issues, each with its fix: the text does not repeat them.
	Annotated func(finding.Severity) bool
}

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
	case finding.Noted:
		return s.paint("36", "i")
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

// Text renders the report for a terminal or a CI log. redacted is how the
// token is shown (its kind prefix and asterisks, and where it came from).
func (r Report) Text(s TextStyle, redacted string) string {
	if r.Tokens != nil {
		return r.severalText(s)
	}
	if r.ConfigInvalid {
		return r.configText(s)
	}
	var b strings.Builder
	res := s.result(r.Result)
	fmt.Fprintf(&b, "%s: %s\n", res, r.verdict(false))
	if s.Quiet {
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "%s %s: %s\n", s.severity(f.Severity), f.Code, f.Message)
		}
		return b.String()
	}
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
	aside := false
	for _, f := range r.Findings {
		if s.Annotated != nil && s.Annotated(f.Severity) {
			continue
		}
		if r.Aside(f) {
			if !aside {
				b.WriteString("\n")
			}
			aside = true
			fmt.Fprintf(&b, "%s %s: %s\n", s.severity(f.Severity), f.Code, f.Message)
			continue
		}
		fmt.Fprintf(&b, "\n%s %s: %s\n", s.severity(f.Severity), f.Code, f.Message)
		writeFix(&b, f)
	}
	return b.String()
}

// writeFix writes a finding's fix under its line in the text: its steps
// indented, and its link when the steps do not already hold it.
func writeFix(b *strings.Builder, f finding.Finding) {
	if f.Fix != "" {
		b.WriteString("  How to fix:\n")
		for _, line := range strings.Split(f.Fix, "\n") {
			fmt.Fprintf(b, "    %s\n", line)
		}
	}
	if f.URL != "" && !strings.Contains(f.Fix, f.URL) {
		fmt.Fprintf(b, "    Link: %s\n", f.URL)
	}
}

// configText is the text of a run stopped by invalid options: each
// problem once, on a line of its own, and nothing about a token that was
// not checked. Where the platform shows the problems as annotations or
// issues, the text only names the options.
func (r Report) configText(s TextStyle) string {
	head := s.paint("1;31", strings.ToUpper(string(r.Result)))
	var lines, named []string
	for _, f := range r.Findings {
		if s.Annotated != nil && s.Annotated(f.Severity) {
			if name, ok := strings.CutPrefix(finding.Title(f, r.DaysLeft), "Invalid option: "); ok && f.Code == finding.ConfigInvalid && !slices.Contains(named, name) {
				named = append(named, name)
			}
			continue
		}
		if f.Code == finding.ConfigInvalid {
			lines = append(lines, f.Message)
		} else {
			lines = append(lines, fmt.Sprintf("%s %s: %s", s.severity(f.Severity), f.Code, f.Message))
		}
	}
	switch {
	case len(lines) == 1 && len(named) == 0:
		return fmt.Sprintf("%s: %s\n", head, lines[0])
	case len(lines) == 0 && len(named) > 0:
		return fmt.Sprintf("%s: invalid %s: %s\n", head, finding.PluralWord(len(named), "option"), strings.Join(named, ", "))
	case len(lines) == 0:
		return fmt.Sprintf("%s: %s\n", head, r.verdict(false))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: the options are invalid:\n", head)
	if len(named) > 0 {
		fmt.Fprintf(&b, "invalid %s: %s\n", finding.PluralWord(len(named), "option"), strings.Join(named, ", "))
	}
	for _, l := range lines {
		fmt.Fprintf(&b, "  %s\n", l)
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

var cellIcons = map[finding.CellState]string{
	finding.CellGranted: "✅ granted", finding.CellPublic: "🌐 public", finding.CellMissing: "❌ missing",
	finding.CellUnverified: "⚠️ unverified", finding.CellUnreachable: "⛔ unreachable", finding.CellUnknown: "❔ unknown",
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

// Annotation is a finding as one CI annotation or issue: its code and
// message, then the fix (which shows the link), then the link when the fix
// does not. Its title is Title.
func Annotation(f finding.Finding) string {
	msg := string(f.Code) + ": " + tokenPrefix(f) + f.Message
	if f.Fix != "" {
		msg += "\n\nHow to fix:\n" + f.Fix
	}
	if f.URL != "" && !strings.Contains(f.Fix, f.URL) {
		msg += "\n" + f.URL
	}
	return msg
}

// result is a run's result as the text's first word: PASS in green, WARN
// in yellow, FAIL and ERROR in red.
func (s TextStyle) result(res Result) string {
	word := strings.ToUpper(string(res))
	switch res {
	case Pass:
		return s.paint("1;32", word)
	case Warn:
		return s.paint("1;33", word)
	}
	return s.paint("1;31", word)
}
