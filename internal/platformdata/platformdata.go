// Package platformdata holds the platforms' own published data, kept byte
// for byte as it was copied, with its header lines (source, commit,
// license), embedded compressed, and parses it. It is pure: no I/O beyond the embedded files.
//
//   - github-fine-grained-permissions.tsv: every REST endpoint GitHub documents
//     for fine-grained personal access tokens, with the permission and level
//     that gates it. Source: github/docs,
//     src/github-apps/data/fpt-2026-03-10/fine-grained-pat-permissions.json,
//     commit 0a351d98e5f6fd3761558ef3bc4ea55c8813729a. License: CC-BY-4.0.
//   - octokit-rest-methods.tsv: every Octokit REST method name
//     (github.rest.<namespace>.<method>, as actions/github-script calls
//     it) with the request it sends. Source: npm package
//     @octokit/plugin-rest-endpoint-methods 18.0.0,
//     dist-src/generated/endpoints.js. License: MIT.
//   - azure-devops-scopes.tsv: every Azure DevOps scope with its display name
//     and the scopes it includes ("Inherits From"). Source:
//     MicrosoftDocs/azure-devops-docs, docs/integrate/includes/scopes.md,
//     commit 0741e44566e64611f40bc213b8632267e9b72049. License: CC-BY-4.0.
//
// The probe table (internal/provider/github), the permission and Azure DevOps
// scope catalogues (internal/check), the pre-fill parameter levels
// (internal/guide) and the simulator's routing (internal/simulate) read these,
// so that a rule written from memory cannot disagree with the platforms.
package platformdata

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// The files are embedded gzip-compressed (the release binary has a size
// budget); TestCompressedCopies keeps each .gz equal to the file beside it,
// the copy as it was made.
var (
	//go:embed github-fine-grained-permissions.tsv.gz
	githubGz []byte
	//go:embed azure-devops-scopes.tsv.gz
	azureGz []byte
	//go:embed octokit-rest-methods.tsv.gz
	octokitGz []byte

	githubTSV  = sync.OnceValue(func() string { return gunzip(githubGz) })
	azureTSV   = sync.OnceValue(func() string { return gunzip(azureGz) })
	octokitTSV = sync.OnceValue(func() string { return gunzip(octokitGz) })
)

// gunzip expands an embedded file; the embedded bytes are the project's
// own, so a failure is a build defect.
func gunzip(b []byte) string {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		panic("platformdata: " + err.Error())
	}
	out, err := io.ReadAll(r)
	if err != nil {
		panic("platformdata: " + err.Error())
	}
	return string(out)
}

// GitHubFile and AzureFile are the embedded files as copied, header lines
// included.
func GitHubFile() string { return githubTSV() }

// AzureFile is the embedded Azure DevOps scope file as copied.
func AzureFile() string { return azureTSV() }

// Endpoint is one row of GitHub's data: one permission that gates one
// REST endpoint, at a level.
type Endpoint struct {
	// Permission is the token permission's API name (contents, pull_requests).
	Permission string
	// Title is the permission's title on the token page.
	Title string
	// Access is read, write or admin.
	Access string
	// Method is the HTTP method, upper case; Path GitHub's path template
	// (/repos/{owner}/{repo}/git/blobs).
	Method string
	Path   string
	// Additional marks an endpoint the docs say needs other permissions too.
	Additional bool
}

// AzureScope is one row of the Azure DevOps scope catalogue.
type AzureScope struct {
	Scope string
	// Name is the display name as the docs give it (Code (read and write)).
	Name string
	// Includes are the scopes this one includes directly.
	Includes    []string
	Description string
}

var (
	once      sync.Once
	endpoints []Endpoint
	scopes    []AzureScope
)

func load() {
	once.Do(func() {
		rows, err := table(githubTSV(), []string{"permission", "title", "access", "verb", "path", "additional"})
		if err != nil {
			panic("platformdata: github-fine-grained-permissions.tsv: " + err.Error())
		}
		for _, r := range rows {
			endpoints = append(endpoints, Endpoint{Permission: r[0], Title: r[1], Access: r[2], Method: r[3], Path: r[4], Additional: r[5] == "true"})
		}
		rows, err = table(azureTSV(), []string{"scope", "name", "includes", "description"})
		if err != nil {
			panic("platformdata: azure-devops-scopes.tsv: " + err.Error())
		}
		for _, r := range rows {
			var inc []string
			for _, s := range strings.Split(r[2], ",") {
				if s = strings.TrimSpace(s); s != "" {
					inc = append(inc, s)
				}
			}
			scopes = append(scopes, AzureScope{Scope: r[0], Name: r[1], Includes: inc, Description: r[3]})
		}
	})
}

// table reads a tab-separated file: "#" lines are its header (kept in the
// file, skipped here), then a line of column names, then rows.
func table(text string, columns []string) ([][]string, error) {
	var out [][]string
	seenHead := false
	for i, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		cells := strings.Split(line, "\t")
		if !seenHead {
			if !slices.Equal(cells, columns) {
				return nil, fmt.Errorf("line %d: columns %q, want %q", i+1, cells, columns)
			}
			seenHead = true
			continue
		}
		if len(cells) != len(columns) {
			return nil, fmt.Errorf("line %d: %d cells, want %d", i+1, len(cells), len(columns))
		}
		out = append(out, cells)
	}
	if !seenHead {
		return nil, fmt.Errorf("no column line")
	}
	return out, nil
}

// GitHubEndpoints returns every row of GitHub's data, in the file's order.
func GitHubEndpoints() []Endpoint {
	load()
	return slices.Clone(endpoints)
}

// AzureScopes returns every Azure DevOps scope, in the file's order.
func AzureScopes() []AzureScope {
	load()
	out := make([]AzureScope, len(scopes))
	for i, s := range scopes {
		s.Includes = slices.Clone(s.Includes)
		out[i] = s
	}
	return out
}

// Gating returns the rows of the permissions that gate method on a concrete
// path (no query), matching GitHub's path templates: a {name} segment
// matches any one non-empty segment. Fixed segments win over templates, as
// GitHub routes /repos/o/r/actions/secrets/public-key to the public-key
// endpoint rather than to {secret_name}.
func Gating(method, path string) []Endpoint {
	load()
	seg := split(path)
	best, bestScore := []Endpoint(nil), -1
	for _, e := range endpoints {
		if e.Method != method {
			continue
		}
		score, ok := matchTemplate(split(e.Path), seg)
		switch {
		case !ok || score < bestScore:
		case score > bestScore:
			best, bestScore = []Endpoint{e}, score
		default:
			best = append(best, e)
		}
	}
	return best
}

func split(p string) []string {
	p, _, _ = strings.Cut(p, "?")
	return strings.Split(strings.Trim(p, "/"), "/")
}

// matchTemplate matches concrete segments against a template; the score is
// the number of fixed segments, so that the most specific template wins.
func matchTemplate(tmpl, seg []string) (int, bool) {
	if len(tmpl) != len(seg) {
		return 0, false
	}
	score := 0
	for i, t := range tmpl {
		switch {
		case strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}"):
			if seg[i] == "" {
				return 0, false
			}
		case t == seg[i]:
			score++
		default:
			return 0, false
		}
	}
	return score, true
}

// Levels returns the access levels GitHub's data lists for a permission,
// lowest first (read, write, admin); nil for a permission the data does not
// list. A permission listed only at write (workflows, gists) is write-only;
// one listed only at read (metadata) is read-only.
func Levels(permission string) []string {
	load()
	var out []string
	for _, l := range []string{"read", "write", "admin"} {
		for _, e := range endpoints {
			if e.Permission == permission && e.Access == l {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// Permissions returns every permission GitHub's data lists, sorted.
func Permissions() []string {
	load()
	var out []string
	for _, e := range endpoints {
		if !slices.Contains(out, e.Permission) {
			out = append(out, e.Permission)
		}
	}
	slices.Sort(out)
	return out
}

// OctokitFile is the embedded Octokit method file as copied.
func OctokitFile() string { return octokitTSV() }

// Method is one Octokit REST method: the name github.rest.<name> calls,
// and the request it sends.
type Method struct {
	// Name is namespace.method (pulls.create).
	Name string
	// Verb is the HTTP method, upper case; Path the path template.
	Verb, Path string
	// Note is "renamed to X", "deprecated" or empty.
	Note string
}

var (
	methodsOnce sync.Once
	methods     []Method
	methodIndex map[string]int
)

// OctokitMethods returns every Octokit method, in the file's order.
func OctokitMethods() []Method {
	loadMethods()
	return slices.Clone(methods)
}

// OctokitMethod finds a method by its name (pulls.create), ignoring case.
func OctokitMethod(name string) (Method, bool) {
	loadMethods()
	i, ok := methodIndex[strings.ToLower(name)]
	if !ok {
		return Method{}, false
	}
	return methods[i], true
}

func loadMethods() {
	methodsOnce.Do(func() {
		rows, err := table(octokitTSV(), []string{"method", "verb", "path", "note"})
		if err != nil {
			panic("platformdata: octokit-rest-methods.tsv: " + err.Error())
		}
		for _, r := range rows {
			methods = append(methods, Method{Name: r[0], Verb: r[1], Path: r[2], Note: r[3]})
		}
		methodIndex = make(map[string]int, len(methods))
		for i, m := range methods {
			methodIndex[strings.ToLower(m.Name)] = i
		}
	})
}
