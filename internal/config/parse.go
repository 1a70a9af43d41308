package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
	"github.com/pat-check/pat-check/internal/transport"
)

// Env carries the environment's defaults: values the platform provides that
// options fall back to. The front-end fills it from the variables it reads.
type Env struct {
	// GitHubAPIURL and GitHubServerURL come from GITHUB_API_URL and GITHUB_SERVER_URL.
	GitHubAPIURL    string
	GitHubServerURL string
	// Repository is GITHUB_REPOSITORY under GitHub Actions.
	Repository string
	// CollectionURI and TeamProject come from SYSTEM_COLLECTIONURI and
	// SYSTEM_TEAMPROJECT under Azure Pipelines.
	CollectionURI string
	TeamProject   string
	// Workspace is the checked-out sources: GITHUB_WORKSPACE under GitHub
	// Actions, BUILD_SOURCESDIRECTORY under Azure Pipelines; in a classic
	// release job, which has no sources, SYSTEM_DEFAULTWORKINGDIRECTORY
	// (where its artifacts are downloaded).
	Workspace string
	// NoWorkspace says, in the front-end's words, why scan-workspace: true
	// has no checkout to search when Workspace is empty, and what to do.
	NoWorkspace string
	// LocalDir is true on the command line: the current directory stands
	// for the checkout, and scan-workspace may name a directory itself.
	LocalDir bool
	// RepositoryDefault: permissions given without repositories are
	// checked on Repository, the workflow's own (GitHub Actions).
	RepositoryDefault bool
}

// Config is the validated configuration of one run.
type Config struct {
	// Provider is the provider option as given: auto, or the ID of a
	// provider. The pipeline settles auto from the token's kind and the
	// front-end (see provider.Resolve).
	Provider     string
	Requirements check.Requirements
	// APIURL is the GitHub API base URL with a trailing slash.
	APIURL string
	// ServerURL is the GitHub web URL (no trailing slash) for links in guidance.
	ServerURL string
	// Repository is the workflow's own repository, when known: the secret
	// that holds the token most likely lives there.
	Repository string
	// Organization is the organization option as given: GitHub
	// organizations, or an Azure DevOps organization's name or URL. The
	// provider reads it (see provider.Provider.Configure).
	Organization string
	Project      string
	TokenName    string
	Timeout      time.Duration
	ReportPath   string
	// ScanDir is the directory to search for the token; "" for none.
	ScanDir string
	// Infer takes the requirements from the workflow or pipeline; Workflow
	// is the file to read (pipelineFile, --workflow; WorkflowGiven when it
	// was given rather than defaulted) and Secret the token's name (--secret).
	Infer         bool
	Workflow      string
	WorkflowGiven bool
	Secret        string
}

// Problem is an invalid option value. Option is the canonical option name;
// front-ends show it in their own spelling.
type Problem struct {
	Option  string
	Message string
}

func (p Problem) Error() string { return p.Option + ": " + p.Message }

// SplitList splits a list option on commas, spaces and newlines.
func SplitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
	var out []string
	for _, v := range f {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

var repoName = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$`)

// PermissionParser reads one entry of the permissions option (name:level).
// Permission names are the issuing platform's catalogue, not the options':
// the pipeline hands in the catalogue's parser (platform/github's
// ParsePermission).
type PermissionParser func(string) (check.Permission, error)

// Parse validates raw option values (keyed by canonical name; absent or
// blank means "not given") against the environment's defaults. What only
// one platform's options mean (scopes, the organization, what permissions
// need) is checked by that platform's provider afterwards.
func Parse(raw map[string]string, env Env, perm PermissionParser) (Config, []Problem) {
	p := parser{raw: map[string]string{}, perm: perm}
	for _, o := range Options {
		v := raw[o.Name]
		if v != "" && holdsToken(v) {
			// A token in the wrong option would be quoted in messages and
			// sent nowhere useful: refuse it, and use the default instead.
			p.fail(o.Name, "the value looks like a token: tokens go only in the token input (PAT_CHECK_TOKEN or --token-stdin on the command line)")
			continue
		}
		p.raw[o.Name] = v
	}
	var c Config
	r := &c.Requirements

	provider, _ := Lookup("provider")
	c.Provider = p.oneOf("provider", provider.Default, provider.Choices...)
	for _, s := range SplitList(p.str("scopes")) {
		r.Scopes = append(r.Scopes, strings.ToLower(s))
	}
	r.Permissions = p.permissions()
	r.Repositories = p.repositories(env, len(r.Permissions) > 0)
	c.Organization = p.str("organization")
	r.MinDaysLeft = p.integer("min-days-left", 0, 3650)
	r.WarnDaysLeft = p.integer("warn-days-left", 0, 3650)
	r.RequireExpiration = p.boolean("require-expiration")
	r.DeclaredExpiry = p.date("expires-on")
	c.TokenName = p.str("token-name")
	if len(c.TokenName) > 40 {
		p.fail("token-name", fmt.Sprintf("%s is %d characters long; token names have at most 40", finding.Quote(c.TokenName), len(c.TokenName)))
	}
	r.TokenTypes = p.kinds()
	c.APIURL = p.apiURL(env)
	c.ServerURL = ServerURL(c.APIURL, env.GitHubServerURL)
	c.Repository = env.Repository
	c.Timeout = time.Duration(p.integer("timeout", 1, 3600)) * time.Second
	r.WarnOnAPIError = p.oneOf("on-api-error", "fail", "fail", "warn") == "warn"
	c.ReportPath = p.str("report-path")
	r.Excess = p.excess()
	r.MaxDaysLeft = p.integer("max-days-left", 0, 3650)
	r.LifetimeEnforce = p.oneOf("lifetime-policy", "warn", "warn", "enforce") == "enforce"
	c.ScanDir = p.scanDir(env)
	if p.oneOf("policy", "none", "none", "recommended") == "recommended" {
		recommended(r, strings.TrimSpace(p.raw["excess"]))
	}
	c.Infer = p.boolean("infer")
	c.Workflow = p.str("workflow")
	c.WorkflowGiven = strings.TrimSpace(p.raw["workflow"]) != ""
	c.Secret = p.str("secret")
	if strings.ContainsFunc(c.ReportPath, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		p.fail("report-path", fmt.Sprintf("%s holds a control character (a line break, a tab, a NUL): give the path of a file on one line", finding.Quote(c.ReportPath)))
		c.ReportPath = ""
	}
	c.Project = p.str("project")
	if c.Project == "" {
		c.Project = env.TeamProject
	}
	if c.Project != "" && !validProject(c.Project) {
		p.fail("project", fmt.Sprintf("%s is not an Azure DevOps project name (at most 64 characters, none of \\/:*?\"<>;#$*{},+=[]|, not starting with _ or ending with .)", finding.Quote(c.Project)))
		c.Project = ""
	}
	return c, p.problems
}

// excess reads the excess option: "" for ignore, else the severity.
func (p *parser) excess() finding.Severity {
	o, _ := Lookup("excess")
	switch v := p.oneOf("excess", o.Default, o.Choices...); v {
	case "ignore":
		return ""
	default:
		return finding.Severity(v)
	}
}

// RecommendedMaxDays is the rotation period the recommended policy sets.
const RecommendedMaxDays = 90

// recommended applies the preset policy: recommended. It raises what is
// at its default (a false require-expiration, max-days-left 0, excess at
// notice) and keeps what was set to something else: an explicit
// max-days-left of 30, or excess: error, wins.
func recommended(r *check.Requirements, excessRaw string) {
	r.RequireExpiration = true
	if r.MaxDaysLeft == 0 {
		r.MaxDaysLeft = RecommendedMaxDays
	}
	if excessRaw == "" || strings.EqualFold(excessRaw, "notice") {
		r.Excess = finding.Warning
	}
	r.KindAdvice = true
}

// scanDir reads scan-workspace: true searches the platform's checkout
// (the current directory where env.LocalDir, the command line), false
// nothing; where env.LocalDir the value may be the directory itself
// (--scan DIR).
func (p *parser) scanDir(env Env) string {
	v := strings.TrimSpace(p.raw["scan-workspace"])
	switch strings.ToLower(v) {
	case "", "false", "no", "0", "off":
		return ""
	case "true", "yes", "1", "on":
		switch {
		case env.Workspace != "":
			return env.Workspace
		case env.LocalDir:
			return "."
		}
		msg := env.NoWorkspace
		if msg == "" {
			msg = "there is no checkout to search"
		}
		p.fail("scan-workspace", msg)
		return ""
	}
	if env.LocalDir {
		return v
	}
	p.fail("scan-workspace", fmt.Sprintf("%q is not true or false", v))
	return ""
}

// holdsToken reports whether an option value contains something shaped
// like a token: a field with a token prefix, or an Azure DevOps PAT shape.
// Long names and paths are not tokens, so no length rule applies here.
func holdsToken(v string) bool {
	fields := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(" \t\r\n,;=:/\\\"'", r) })
	for _, f := range fields {
		k := token.KindOf(f)
		if k == token.AzureDevOps || (k != token.Unknown && k.Prefix() != "") {
			return true
		}
	}
	return false
}

// validProject follows Azure DevOps' rules for project names.
func validProject(s string) bool {
	if len(s) > 64 || s == "." || s == ".." || strings.HasPrefix(s, "_") || strings.HasSuffix(s, ".") {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || strings.ContainsRune(`\/:*?"<>;#$*{},+=[]|`, r) {
			return false
		}
	}
	return true
}

type parser struct {
	raw      map[string]string
	problems []Problem
	perm     PermissionParser
}

func (p *parser) fail(opt, msg string) {
	p.problems = append(p.problems, Problem{Option: opt, Message: msg})
}

// str returns the option's trimmed value, or its documented default.
func (p *parser) str(name string) string {
	if v := strings.TrimSpace(p.raw[name]); v != "" {
		return v
	}
	o, _ := Lookup(name)
	return o.Default
}

// sameWord are the spellings of one value that every option taking it
// accepts: on-api-error and lifetime-policy say warn, excess says warning,
// and a user who learnt one writes it in the other.
var sameWord = map[string]string{"warn": "warning", "warning": "warn"}

func (p *parser) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(p.str(name))
	if v == "" {
		return def
	}
	if !slices.Contains(allowed, v) {
		if alt, ok := sameWord[v]; ok && slices.Contains(allowed, alt) {
			return alt
		}
		p.fail(name, fmt.Sprintf("%s is not one of %s%s", finding.Quote(v), strings.Join(allowed, ", "), nearest(v, allowed)))
		return def
	}
	return v
}

// nearest is "; did you mean X?" for the allowed value nearest to v: the
// one v begins or that begins v (enf, enforced), else the nearest by
// spelling; "" when none is near.
func nearest(v string, allowed []string) string {
	found := ""
	for _, a := range allowed {
		if len(v) >= 2 && (strings.HasPrefix(a, v) || strings.HasPrefix(v, a)) {
			if found != "" {
				found = ""
				break
			}
			found = a
		}
	}
	if found != "" {
		return "; did you mean " + found + "?"
	}
	return finding.Suggest(v, allowed)
}

func (p *parser) integer(name string, lo, hi int) int {
	v := p.str(name)
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		p.fail(name, fmt.Sprintf("%s is not a whole number from %d to %d", finding.Quote(v), lo, hi))
		o, _ := Lookup(name)
		n, _ = strconv.Atoi(o.Default)
	}
	return n
}

func (p *parser) boolean(name string) bool {
	switch v := strings.ToLower(p.str(name)); v {
	case "true", "yes", "1", "on":
		return true
	case "false", "no", "0", "off", "":
		return false
	default:
		p.fail(name, fmt.Sprintf("%s is not true or false", finding.Quote(v)))
		return false
	}
}

func (p *parser) date(name string) *time.Time {
	v := p.str(name)
	if v == "" {
		return nil
	}
	d, err := time.Parse("2006-01-02", v)
	if err != nil {
		p.fail(name, fmt.Sprintf("%s is not a date in the form YYYY-MM-DD (for example 2027-01-31)", finding.Quote(v)))
		return nil
	}
	// A token shown as expiring on a date stops working at the end of that
	// day; take the end of the day in UTC so that the day itself still counts.
	end := d.Add(24*time.Hour - time.Second)
	return &end
}

// permissionEntries reads the permissions option: name:level entries
// separated as lists are, or the form users copy from a workflow, a YAML
// permissions: block with one "name: level" per line (its header,
// comments, quotes and a {…} flow mapping allowed).
func permissionEntries(v string) []string {
	var b strings.Builder
	for _, line := range strings.Split(v, "\n") {
		if i := strings.Index(line, "#"); i == 0 || i > 0 && (line[i-1] == ' ' || line[i-1] == '\t') {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if rest, ok := cutFold(line, "permissions:"); ok {
			line = rest
		}
		line = strings.Trim(strings.TrimSpace(strings.TrimPrefix(line, "- ")), "{}")
		line = strings.NewReplacer(`"`, "", "'", "").Replace(line)
		b.WriteString(permissionSeparator.ReplaceAllString(line, "$1") + "\n")
	}
	return SplitList(b.String())
}

// permissionSeparator is ":" or "=" with the spaces YAML puts around it.
var permissionSeparator = regexp.MustCompile(`[ \t]*([:=])[ \t]*`)

// cutFold is strings.CutPrefix, ignoring case.
func cutFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func (p *parser) permissions() []check.Permission {
	var out []check.Permission
	for _, s := range permissionEntries(p.str("permissions")) {
		perm, err := p.perm(s)
		if err != nil {
			p.fail("permissions", err.Error())
			continue
		}
		if i := slices.IndexFunc(out, func(q check.Permission) bool { return q.Name == perm.Name }); i >= 0 {
			out[i].Level = max(out[i].Level, perm.Level)
			continue
		}
		out = append(out, perm)
	}
	return out
}

func (p *parser) repositories(env Env, permissionsRequired bool) []string {
	list := SplitList(p.str("repositories"))
	if len(list) == 0 && permissionsRequired && env.RepositoryDefault && env.Repository != "" {
		list = []string{env.Repository}
	}
	out, problems := Repositories(list)
	p.problems = append(p.problems, problems...)
	return out
}

// Repositories reads a list of repositories as the repositories option
// does (owner/name; a github.com URL is taken for its name): the ones that
// are repositories, and a problem for each that is not.
func Repositories(list []string) ([]string, []Problem) {
	var out []string
	var problems []Problem
	for _, r := range list {
		r = strings.TrimSuffix(strings.TrimPrefix(r, "https://github.com/"), ".git")
		if _, name, _ := strings.Cut(r, "/"); !repoName.MatchString(r) || name == "." || name == ".." {
			problems = append(problems, Problem{Option: "repositories", Message: fmt.Sprintf("%s is not a repository in the form owner/name", finding.Quote(r))})
			continue
		}
		out = append(out, r)
	}
	return out, problems
}

func (p *parser) kinds() []token.Kind {
	v := p.str("token-types")
	if strings.EqualFold(v, "any") {
		return nil
	}
	var out []token.Kind
	for _, s := range SplitList(v) {
		k, ok := token.ParseKind(s)
		if !ok {
			names := make([]string, 0)
			for _, k := range token.KnownKinds() {
				names = append(names, string(k))
			}
			p.fail("token-types", fmt.Sprintf("%s is not a token kind: use any, or some of %s", finding.Quote(s), strings.Join(names, ", ")))
			continue
		}
		out = append(out, k)
	}
	return out
}

func (p *parser) apiURL(env Env) string {
	v := strings.TrimSpace(p.raw["api-url"])
	if v == "" {
		v = env.GitHubAPIURL
	}
	if v == "" {
		o, _ := Lookup("api-url")
		v = o.Default
	}
	u, err := CheckURL(v)
	if err != nil {
		p.fail("api-url", err.Error())
		return "https://api.github.com/"
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u.String()
}

// CheckURL accepts https URLs, and http URLs only for loopback hosts, so
// that a token is never sent in the clear over a network.
func CheckURL(v string) (*url.URL, error) {
	u, err := url.Parse(v)
	if err != nil && strings.Contains(err.Error(), "invalid port") {
		return nil, fmt.Errorf("%s has a port that is not a number from 1 to 65535", finding.Quote(v))
	}
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%s is not an http(s) URL such as https://api.github.com or https://HOST/api/v3", finding.Quote(v))
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("%s has the port %s: a port is a number from 1 to 65535", finding.Quote(v), finding.Quote(p))
		}
	}
	if len(u.Hostname()) > 253 {
		return nil, fmt.Errorf("%s names a host of %d characters: host names have at most 253", finding.Quote(v), len(u.Hostname()))
	}
	if u.User != nil {
		return nil, fmt.Errorf("the URL must not carry credentials: give the token through the token option")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s must not have a query or fragment", finding.Quote(v))
	}
	if u.Scheme == "http" && !transport.IsLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%s uses plain http: the token would cross the network unencrypted; use https (http is accepted only for localhost)", finding.Quote(v))
	}
	return u, nil
}

// ServerURL derives GitHub's web URL from the API URL, for links in guidance:
// api.github.com → github.com; HOST/api/v3 (GHES) → HOST; api.SUB.ghe.com →
// SUB.ghe.com. An explicit server URL (GITHUB_SERVER_URL) wins when it is on
// the same site as the API, or the API is on loopback.
func ServerURL(apiURL, explicit string) string {
	u, err := url.Parse(apiURL)
	if err != nil {
		return "https://github.com"
	}
	host := u.Host
	path := strings.TrimSuffix(u.Path, "/")
	switch {
	case strings.EqualFold(host, "api.github.com"):
		host = "github.com"
	case strings.HasSuffix(path, "/api/v3"):
		// GHES keeps the web UI on the API's host.
	case strings.HasPrefix(strings.ToLower(host), "api."):
		host = host[len("api."):]
	}
	derived := u.Scheme + "://" + host
	// An explicit server URL is trusted when it names the same site, or when
	// the API is a local simulation (the demo, tests) that stands in for it.
	if e := strings.TrimSuffix(strings.TrimSpace(explicit), "/"); e != "" {
		if eu, err := url.Parse(e); err == nil && eu.Host != "" && (strings.EqualFold(eu.Host, host) || transport.IsLoopback(u.Hostname())) {
			return e
		}
	}
	return derived
}
