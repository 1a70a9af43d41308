// Package fleet checks several tokens in one run (a scheduled "token
// health" job): it reads the tokens input (NAME=VALUE lines, the JSON
// object ${{ toJSON(secrets) }} gives, Azure's NAME=$(VAR) lines, or the
// names of environment variables), tells the values that have the shape of
// a GitHub or Azure DevOps token from everything else, takes each token's
// requirements from what the workflows need of its name, and shares one
// request budget between the checks. Everything here is pure but Budget,
// which is an http.RoundTripper.
//
// A value that is not a token is never kept: Classify returns its name
// and why it is left alone, and the caller drops the entries it read.
package fleet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/token"
)

// Entry is one NAME=VALUE the tokens input gave.
type Entry struct {
	Name  string
	Value string
	// Line is the input's line the entry came from (1-based); 0 for the
	// JSON object and for environment variables.
	Line int
	// Named is true when the user named the entry (a NAME=VALUE line, a
	// bare NAME line after the JSON object, --tokens-from-env), false when
	// it came in bulk from the JSON object of toJSON(secrets).
	Named bool
}

// Problem is an invalid part of the tokens input. Its message names lines
// and names, never a value.
type Problem struct{ Message string }

// namePattern is a secret's or a pipeline variable's name: letters, digits,
// underscores, and the dots and hyphens of Azure variable names.
var namePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.\-]*$`)

// ValidName reports whether s can name a secret or a variable. A name
// with the shape of a token (or of any generated secret) is not one: it is
// a value pasted where the name belongs, and is never quoted.
func ValidName(s string) bool {
	return len(s) <= 200 && namePattern.MatchString(s) && !Shaped(s) && token.RedactIn(s) == s
}

// maxEntries bounds how many tokens one run reads: far more than any
// repository keeps, few enough that a pasted file cannot make a run send
// thousands of requests.
const maxEntries = 200

// Parse reads the tokens input: the JSON object toJSON(secrets) gives,
// optionally followed by lines, or lines alone. A line is NAME=VALUE (the
// value taken as is, surrounding whitespace aside), or, after the JSON
// object, a bare NAME that picks a secret of the object to check even when
// it would be skipped (GITHUB_TOKEN). Blank lines and lines starting with
// # are ignored. Problems never quote a value: a line that is not
// NAME=VALUE is named by its number only.
func Parse(text string) ([]Entry, []Problem) {
	var out []Entry
	var problems []Problem
	seen := map[string]int{} // upper-cased name → index in out
	tooMany := false
	add := func(e Entry) {
		key := strings.ToUpper(e.Name)
		if i, ok := seen[key]; ok {
			prev := out[i]
			switch {
			case !prev.Named && e.Named && e.Value == "":
				// A bare NAME after the JSON object: check that secret.
				out[i].Named, out[i].Line = true, e.Line
			case !prev.Named && e.Named:
				out[i] = e
			default:
				problems = append(problems, Problem{Message: fmt.Sprintf("%s is given twice (%s and %s): give each name once", e.Name, where(prev), where(e))})
			}
			return
		}
		if len(out) == maxEntries {
			if !tooMany {
				problems = append(problems, Problem{Message: fmt.Sprintf("more than %d tokens: check them in several runs", maxEntries)})
				tooMany = true
			}
			return
		}
		seen[key] = len(out)
		out = append(out, e)
	}

	rest := text
	lineOffset := 0
	if t := strings.TrimLeft(text, " \t\r\n"); strings.HasPrefix(t, "{") {
		dec := json.NewDecoder(strings.NewReader(t))
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return nil, []Problem{{Message: "the JSON object cannot be read" + jsonWhere(t, err) + ": give the object ${{ toJSON(secrets) }} gives, or NAME=VALUE lines"}}
		}
		keys := slices.Sorted(maps.Keys(obj)) // a map has no order
		for _, name := range keys {
			s, ok := obj[name].(string)
			if !ok || !ValidName(name) {
				continue // toJSON(secrets) gives only strings under valid names
			}
			add(Entry{Name: name, Value: s})
		}
		used := t[:dec.InputOffset()]
		lineOffset = strings.Count(text[:len(text)-len(t)], "\n") + strings.Count(used, "\n")
		rest = t[dec.InputOffset():]
	}
	jsonGiven := lineOffset > 0 || rest != text
	for i, line := range strings.Split(rest, "\n") {
		n := lineOffset + i + 1
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		name = strings.TrimSpace(name)
		switch {
		case !ValidName(name):
			problems = append(problems, Problem{Message: fmt.Sprintf("line %d is not NAME=VALUE (a secret's or variable's name, then =, then its value)", n)})
		case !ok && jsonGiven:
			if _, known := seen[strings.ToUpper(name)]; !known {
				problems = append(problems, Problem{Message: fmt.Sprintf("line %d names %s, which the JSON object does not hold", n, name)})
				continue
			}
			add(Entry{Name: name, Line: n, Named: true})
		case !ok:
			problems = append(problems, Problem{Message: fmt.Sprintf("line %d gives %s without a value: write %s=VALUE", n, name, name)})
		default:
			add(Entry{Name: name, Value: strings.TrimSpace(value), Line: n, Named: true})
		}
	}
	return out, problems
}

// FromEnv reads the environment variables names (the --tokens-from-env
// list: commas, spaces or newlines between names). An unset variable gives
// an empty value, which the check reports as token-missing.
func FromEnv(list string, getenv func(string) string) ([]Entry, []Problem) {
	var out []Entry
	var problems []Problem
	seen := map[string]bool{}
	for i, name := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		switch {
		case !ValidName(name):
			// Not quoted: what is not a name may be a value pasted by mistake.
			problems = append(problems, Problem{Message: fmt.Sprintf("entry %d is not the name of an environment variable (letters, digits and underscores)", i+1)})
		case seen[name]:
			problems = append(problems, Problem{Message: fmt.Sprintf("%s is named twice", name)})
		case len(out) == maxEntries:
			problems = append(problems, Problem{Message: fmt.Sprintf("more than %d tokens: check them in several runs", maxEntries)})
			return out, problems
		default:
			seen[name] = true
			out = append(out, Entry{Name: name, Value: getenv(name), Named: true})
		}
	}
	if len(out) == 0 && len(problems) == 0 {
		problems = append(problems, Problem{Message: "names no environment variable"})
	}
	return out, problems
}

// where names an entry's origin in a message.
func where(e Entry) string {
	if e.Line == 0 {
		return "the JSON object"
	}
	return fmt.Sprintf("line %d", e.Line)
}

// jsonWhere says where the JSON object broke, by line and column, without
// quoting it (the decoder's own messages quote the text).
func jsonWhere(text string, err error) string {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		return ": it is not an object of names and values"
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return ": it ends before its closing }"
	}
	if off < 0 || off > int64(len(text)) {
		return ""
	}
	before := text[:off]
	line := strings.Count(before, "\n") + 1
	col := off - int64(strings.LastIndex(before, "\n"))
	return fmt.Sprintf(" (line %d, column %d)", line, col)
}
