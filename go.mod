module github.com/pat-check/pat-check

go 1.26.0

toolchain go1.26.8

require (
	github.com/google/go-github/v62 v62.0.0
	// An untagged pseudo-version because it is what the go command resolves
	// as latest: the module proxy lists no tagged version of this module
	// (v7.1.0 is fetched only when named). It differs from v7.1.0 by two
	// things pat-check does not use, a decoding fix in
	// git.GetPullRequestProperties and graph.GraphGroup.IsDeleted; the code
	// and its tests pass on v7.1.0 as well.
	github.com/microsoft/azure-devops-go-api/azuredevops/v7 v7.1.1-0.20241014080628-3045bdf43455
	github.com/sethvargo/go-githubactions v1.4.0
	// Tests only: renders the step summary as GitHub does (CommonMark and
	// GFM), to prove that YAML and commands stay code blocks.
	github.com/yuin/goldmark v1.8.7
	golang.org/x/sync v0.25.0
	// Reads the token without echo when --token-stdin is a terminal.
	golang.org/x/term v0.48.0
)

require (
	github.com/google/go-querystring v1.1.0 // indirect
	// Imported by azure-devops-go-api's packages, not by pat-check's own code.
	github.com/google/uuid v1.1.1 // indirect
)

// Needed by golang.org/x/term.
require golang.org/x/sys v0.50.0 // indirect
