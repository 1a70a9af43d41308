package frontend

import (
	"io"
	"strings"
	"unicode"
)

// Runners read commands out of a job's log, whatever printed them: the
// GitHub runner acts on a line that starts with "::" (after whitespace,
// and a bare \r starts a line too) and on "##[" anywhere in a line; the
// Azure Pipelines agent on "##vso[" anywhere, in any letter case. A step in
// a container has neither GITHUB_ACTIONS nor TF_BUILD, yet its log is read
// the same way. So every front-end keeps both runners' rules for every text
// it did not mean as a command: what the network sent, what an option said.

// neutralize keeps one line of text (no \n) from being read as a command
// by either runner. A \r becomes a space, so that nothing after it starts
// a line; "::" at the start of the line becomes ": :"; "##[" becomes
// "# #[" and "##vso[" (any case) "## vso[".
func neutralize(line string) string {
	line = strings.ReplaceAll(line, "\r", " ")
	line = neutralizeAnywhere(line)
	t := strings.TrimLeftFunc(line, unicode.IsSpace)
	if strings.HasPrefix(t, "::") {
		return line[:len(line)-len(t)] + ": :" + t[2:]
	}
	return line
}

// neutralizeAnywhere applies the rules that hold anywhere in a line.
func neutralizeAnywhere(s string) string {
	s = strings.ReplaceAll(s, "##[", "# #[")
	low := strings.ToLower(s)
	if !strings.Contains(low, "##vso[") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(low, "##vso[")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+2])
		b.WriteByte(' ')
		s, low = s[i+2:], low[i+2:]
	}
}

// Neutral returns a writer that neutralizes every line written through it:
// the standard error stream in every front-end, and standard output on the
// command line, where pat-check writes no command of its own. A line is
// taken to start where a Write starts after a line break.
func Neutral(w io.Writer) io.Writer { return &neutralWriter{w: w} }

type neutralWriter struct {
	w       io.Writer
	midLine bool
}

func (n *neutralWriter) Write(p []byte) (int, error) {
	var b strings.Builder
	text := string(p)
	for text != "" {
		line, rest, broke := strings.Cut(text, "\n")
		if n.midLine {
			b.WriteString(neutralizeAnywhere(strings.ReplaceAll(line, "\r", " ")))
		} else {
			b.WriteString(neutralize(line))
		}
		if broke {
			b.WriteByte('\n')
		}
		n.midLine = !broke
		text = rest
	}
	if _, err := io.WriteString(n.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}
