package fleet

import (
	"strings"

	"github.com/pat-check/pat-check/internal/token"
)

// Class is what pat-check does with one entry.
type Class string

// The classes of entries.
const (
	// Check: a token (or an empty value or an unexpanded reference the
	// user named, which the check reports offline without a request).
	Check Class = "check"
	// NotToken: any other value. Named in the report, never printed, never
	// sent anywhere.
	NotToken Class = "not-a-token"
	// Skipped: the job's own GITHUB_TOKEN, in the JSON object of
	// toJSON(secrets), that no line names.
	Skipped Class = "skipped"
)

// Item is an entry classified. Only a Check item keeps its value.
type Item struct {
	Name  string
	Class Class
	// Kind is the kind the value's shape claims (Check items).
	Kind token.Kind
	// Value is the value to check; empty for every other class.
	Value string
	// Why says, for NotToken and Skipped items, why the value is left
	// alone, in words that quote nothing of it.
	Why string
	// Named is Entry.Named.
	Named bool
}

// GitHubToken is the name of the job's own token in toJSON(secrets).
const GitHubToken = "GITHUB_TOKEN"

// Shaped reports whether the value has the shape of a GitHub or Azure
// DevOps token: a GitHub prefix, the legacy 40-hex or Azure DevOps 52-
// character form, or the current Azure DevOps form.
func Shaped(value string) bool { return token.KindOf(value) != token.Unknown }

// ambiguous reports a token shape that other secrets share: 40 hexadecimal
// characters (a legacy GitHub token, or a SHA-1, a webhook secret) and 52
// lower-case base32 characters (a legacy Azure DevOps token, or any
// 32-byte key). Such a value is a token only where a workflow or pipeline
// uses its name as one: sending another service's key to GitHub
// would hand it to a company that never issued it. Naming it in the input
// is not enough: people paste every secret they have.
func ambiguous(value string) bool {
	v := strings.Trim(value, " \t\r\n")
	k := token.KindOf(v)
	return k == token.Classic && !strings.HasPrefix(v, token.Classic.Prefix()) ||
		k == token.AzureDevOps && len(v) == 52
}

// MaskForms are the forms of every token-shaped value among entries, for
// the CI log to mask before anything else is written: all of them,
// ambiguous shapes included (masking is harmless; checking is not).
func MaskForms(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		if Shaped(e.Value) {
			out = append(out, token.MaskForms(e.Value)...)
		}
	}
	return out
}

// Classify decides what to do with each entry. usedAsToken reports
// whether a workflow or pipeline uses the name as a token (it settles the
// ambiguous shapes). The items are in the entries' order; only Check items
// keep their value, so once the caller drops entries nothing else is held.
func Classify(entries []Entry, usedAsToken func(name string) bool) []Item {
	out := make([]Item, 0, len(entries))
	for _, e := range entries {
		it := Item{Name: e.Name, Named: e.Named}
		v := strings.Trim(e.Value, " \t\r\n")
		switch {
		case strings.EqualFold(e.Name, GitHubToken) && !e.Named:
			it.Class, it.Why = Skipped, "the job's own token: name it in tokens (GITHUB_TOKEN alone on a line) to check it"
		case v == "" && e.Named, token.IsReference(v):
			// Reported offline: token-missing, or token-unexpanded quoting
			// the reference (a variable's name, not a secret).
			it.Class, it.Kind, it.Value = Check, token.KindOf(v), e.Value
		case v == "":
			it.Class, it.Why = NotToken, "empty"
		case !Shaped(v):
			it.Class, it.Why = NotToken, "not a token"
		case ambiguous(v) && !usedAsToken(e.Name):
			it.Class, it.Why = NotToken, "not a token: no workflow uses it as one, and its shape is shared by other keys"
		default:
			it.Class, it.Kind, it.Value = Check, token.KindOf(v), e.Value
		}
		out = append(out, it)
	}
	return out
}

// Drop forgets every value of entries: what is not a token is not kept
// once classified. (Go cannot wipe a string's bytes; dropping every
// reference lets the collector reclaim them.)
func Drop(entries []Entry) {
	for i := range entries {
		entries[i].Value = ""
	}
}
