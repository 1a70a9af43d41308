module github.com/pat-check/pat-check

go 1.26.0

toolchain go1.26.8

require (
	// Tests only: diffs of what a test got against what it wanted.
	github.com/google/go-cmp v0.7.0
	github.com/google/go-github/v62 v62.0.0
	// An untagged pseudo-version because it is what the go command resolves
	// as latest: the module proxy lists no tagged version of this module
	// (v7.1.0 is fetched only when named). It differs from v7.1.0 by two
	// things pat-check does not use, a decoding fix in
	// git.GetPullRequestProperties and graph.GraphGroup.IsDeleted; the code
	// and its tests pass on v7.1.0 as well.
	//
	// provider/azdo uses its request layer (CreateRequestMessage and
	// SendRequest: headers, api-version, WrappedError for error bodies) and
	// location.ConnectionData, not its typed clients: a typed call such as
	// location's GetConnectionData returns the decoded body only, dropping
	// the headers the checks read (X-VSS-UserData, x-vss-token-scopes);
	// every typed call first sends OPTIONS {base}/_apis to load resource
	// locations, one more request with the token; and a 203 sign-in page is
	// a success to it, where it means the token was refused.
	github.com/microsoft/azure-devops-go-api/azuredevops/v7 v7.1.1-0.20241014080628-3045bdf43455
	// needs and infer: actionlint's Parse reads workflows with positions and
	// parses ${{ }} expressions; its YAML library (a release candidate, the
	// version actionlint pins) reads Azure Pipelines YAML; mvdan.cc/sh
	// parses run: and script: steps as shell.
	github.com/rhysd/actionlint v1.7.12
	github.com/sethvargo/go-githubactions v1.4.0
	// Tests only: renders the step summary as GitHub does (CommonMark and
	// GFM), to prove that YAML and commands stay code blocks.
	github.com/yuin/goldmark v1.8.7
	go.yaml.in/yaml/v4 v4.0.0-rc.3
	golang.org/x/sync v0.25.0 // indirect
	// Reads the token without echo when --token-stdin is a terminal.
	golang.org/x/term v0.48.0
	mvdan.cc/sh/v3 v3.14.1
)

require (
	github.com/google/go-querystring v1.1.0 // indirect
	// Imported by azure-devops-go-api's packages, not by pat-check's own code.
	github.com/google/uuid v1.1.1 // indirect
)

require (
	github.com/bmatcuk/doublestar/v4 v4.10.0 // indirect
	github.com/clipperhouse/uax29/v2 v2.7.0 // indirect
	github.com/fatih/color v1.19.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/mattn/go-runewidth v0.0.21 // indirect
	github.com/mattn/go-shellwords v1.0.12 // indirect
	github.com/robfig/cron/v3 v3.0.1 // indirect
	// Needed by golang.org/x/term (and actionlint's color output).
	golang.org/x/sys v0.50.0 // indirect
)

require golang.org/x/text v0.36.0
