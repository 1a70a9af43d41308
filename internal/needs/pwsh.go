package needs

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// powershell reads a PowerShell script for the commands and URLs it hands
// a token to. PowerShell's simple commands (git push URL, gh pr create,
// az repos …, Invoke-RestMethod -Uri … -Headers …) read like a shell's, so
// each statement is read with the shell parser once $env:NAME is spelt
// $NAME; an assignment ($h = "token …", $env:GH_TOKEN = …) records what
// the variable holds. A statement that still cannot be read leaves its
// tokens unknown, never dropped.
func (r *shellRun) powershell() {
	text := strings.ReplaceAll(r.sc.text, "`\n", " \n") // line continuations keep their lines
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		raw := strings.TrimSpace(lines[i])
		line := r.sc.line + i
		// A statement continued with a backtick goes on, on the next lines.
		for strings.HasSuffix(strings.TrimRight(lines[i], " "), "` ") && i+1 < len(lines) {
			i++
			raw += " " + strings.TrimSpace(lines[i])
		}
		raw = strings.ReplaceAll(strings.TrimSuffix(raw, "`"), "` ", " ")
		if raw == "" || strings.HasPrefix(raw, "#") {
			continue
		}
		st := psEnv(raw)
		if name, rhs, ok := psAssign(st); ok {
			if strings.HasPrefix(rhs, "@{") {
				// A hashtable, for splatting (Invoke-RestMethod @params):
				// its lines up to the closing brace.
				body := rhs
				for depth := strings.Count(rhs, "{") - strings.Count(rhs, "}"); depth > 0 && i+1 < len(lines); {
					i++
					l := psEnv(strings.TrimSpace(lines[i]))
					body += "\n" + l
					depth += strings.Count(l, "{") - strings.Count(l, "}")
				}
				r.psTable(name, body, line)
				continue
			}
			r.psAssign(name, rhs, line)
			continue
		}
		if nestingDepth(st) > maxNesting {
			r.psUnknown(st, line, "a PowerShell statement nested deeper than pat-check reads")
			continue
		}
		f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(st), "")
		if err != nil {
			r.psUnknown(st, line, "a PowerShell statement pat-check cannot read")
			continue
		}
		r.walk(f, i)
	}
}

// psTable records a hashtable's entries (Key = value, one a line or
// separated by ;), for a later command that splats it (@name).
func (r *shellRun) psTable(name, body string, line int) {
	t := map[string]string{}
	inner := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(body), "@{"), "}")
	key, depth := "", 0
	for _, l := range strings.FieldsFunc(inner, func(c rune) bool { return c == '\n' || c == ';' }) {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if depth == 0 {
			if k, v, ok := strings.Cut(l, "="); ok && !strings.ContainsAny(strings.TrimSpace(k), " \"'$") {
				key = strings.ToLower(strings.TrimSpace(k))
				t[key] = strings.TrimSpace(v)
				depth += strings.Count(v, "{") - strings.Count(v, "}")
				continue
			}
		}
		if key != "" {
			t[key] += " " + l
		}
		depth += strings.Count(l, "{") - strings.Count(l, "}")
	}
	if r.psTables == nil {
		r.psTables = map[string]map[string]string{}
	}
	r.psTables[strings.ToLower(name)] = t
	// The table also holds what its values carry, for any other use.
	r.psAssign(name, strings.ReplaceAll(body, "\n", " "), line)
}

// psSplat turns a splatted hashtable (@params) into the parameters it
// stands for: -Uri … -Method … -Headers ….
func (r *shellRun) psSplat(args []word) []word {
	var out []word
	for _, a := range args {
		t, ok := r.psTables[strings.ToLower(strings.TrimPrefix(a.text, "@"))]
		if !strings.HasPrefix(a.text, "@") || !ok {
			out = append(out, a)
			continue
		}
		for _, k := range sortedKeys(t) {
			out = append(out, word{text: "-" + k}, r.psWord(t[k]))
		}
	}
	return out
}

// psEnv spells $env:NAME as $NAME and ${env:NAME} as ${NAME}.
func psEnv(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '$' && i+5 <= len(s) && strings.EqualFold(s[i+1:i+5], "env:") {
			b.WriteByte('$')
			i += 4
			continue
		}
		if s[i] == '$' && i+6 <= len(s) && strings.EqualFold(s[i+1:i+6], "{env:") {
			b.WriteString("${")
			i += 5
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// psAssign splits "$name = value" (not ==, -eq).
func psAssign(s string) (name, rhs string, ok bool) {
	if !strings.HasPrefix(s, "$") {
		return "", "", false
	}
	i := strings.Index(s, "=")
	if i < 0 || i+1 < len(s) && s[i+1] == '=' {
		return "", "", false
	}
	name = strings.TrimSpace(s[1:i])
	name = strings.TrimSuffix(strings.TrimPrefix(name, "{"), "}")
	if name == "" || strings.ContainsAny(name, " .[]()+-") {
		return "", "", false
	}
	if j := strings.LastIndex(name, ":"); j >= 0 {
		name = name[j+1:] // $script:x, $global:x
	}
	return name, strings.TrimSpace(s[i+1:]), true
}

// psAssign records a PowerShell variable: the tokens its value carries
// (placeholders, $VAR, $(VAR) inside a string or a hashtable), with the
// value's text when it is one string (a URL).
func (r *shellRun) psAssign(name, rhs string, line int) {
	w := r.psWord(rhs)
	delete(r.vars, name)
	delete(r.lits, name)
	switch {
	case len(w.tokens) > 0:
		r.vars[name] = val{text: w.text, tokens: w.tokens, line: line, marks: w.marks}
	case !w.dynamic:
		r.lits[name] = w
	}
}

// psWord reads a PowerShell value: a quoted string's inside, any other
// expression's tokens.
func (r *shellRun) psWord(rhs string) word {
	t := strings.TrimSpace(rhs)
	if len(t) >= 2 && (t[0] == '"' && t[len(t)-1] == '"' || t[0] == '\'' && t[len(t)-1] == '\'') && strings.Count(t, string(t[0])) == 2 {
		inner := t[1 : len(t)-1]
		if t[0] == '\'' {
			return r.wordOf("'" + inner + "'")
		}
		return r.wordOf(`"` + inner + `"`)
	}
	// A hashtable, a call, an expression: only the tokens it carries.
	var out word
	out.dynamic = true
	out.text = t
	for i, tok := range r.sc.tokens {
		if tok != "" && strings.Contains(t, placeholder(i)) {
			out.tokens = append(out.tokens, tok)
		}
	}
	for name, v := range r.vars {
		if strings.Contains(strings.ToLower(t), "$"+strings.ToLower(name)) {
			out.tokens = append(out.tokens, v.tokens...)
		}
	}
	return out
}

// wordOf reads one shell word from text.
func (r *shellRun) wordOf(text string) word {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader("x="+text), "")
	if err != nil || len(f.Stmts) != 1 {
		return word{text: text, dynamic: true}
	}
	c, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(c.Assigns) != 1 || c.Assigns[0].Value == nil {
		return word{text: text, dynamic: true}
	}
	return r.word(c.Assigns[0].Value)
}

func (r *shellRun) psUnknown(st string, line int, why string) {
	w := r.psWord(st)
	for _, tok := range w.tokens {
		r.placed[tok] = true
		r.st.unknownOrNot(r.s, tok, "", line, fmt.Sprintf("%s: %s", why, clip(st)))
	}
}
