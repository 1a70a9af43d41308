package frontend

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"golang.org/x/term"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/report"
	"github.com/pat-check/pat-check/internal/token"
)

// ErrHelp is returned by Options when --help was asked for; the help text
// has been written and the run ends with exit code 0.
var ErrHelp = errors.New("help requested")

// UsageError is a command-line mistake (exit code 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// maxStdinToken bounds what --token-stdin reads: the longest tokens are
// about 520 characters.
const maxStdinToken = 64 << 10

type cli struct {
	args  []string
	env   Getenv
	stdio Stdio

	raw        map[string]string
	format     string
	tokenStdin bool
	quiet      bool
	provider   string
	parseErr   error
	// tokenVars are the platforms' variables for the token (see
	// tokenNames).
	tokenVars []TokenVariables

	// source says where the token came from, for the header line.
	source string
	// terminal tells whether standard input is a terminal, and readSecret
	// reads a line from it without echo; both are injected in tests.
	terminal   func(io.Reader) bool
	readSecret func(io.Reader) ([]byte, error)
	// save returns what restores the terminal's state (echo) if the run
	// stops at the prompt; term holds it meanwhile.
	save func(io.Reader) func()
	term terminalState
}

func newCLI(args []string, env Getenv, stdio Stdio, tokenVars []TokenVariables) *cli {
	// A runner reads the command line's output too (a container step has
	// neither GITHUB_ACTIONS nor TF_BUILD): every line is neutralized.
	stdio.Out = Neutral(stdio.Out)
	c := &cli{args: args, env: env, stdio: stdio, tokenVars: tokenVars, terminal: isTerminal, readSecret: readPassword, save: saveTerminal}
	c.parse()
	return c
}

func (c *cli) Kind() Kind { return CommandLine }

// Input: several tokens are named by their environment variables, and the
// one token comes from the environment or standard input, never a flag.
func (c *cli) Input() Input { return Input{Several: "tokens-from-env", One: "--token-stdin"} }

// FlagSet builds the command line's flags from the option table. The
// values land in raw only when given.
func (c *cli) flagSet() (*flag.FlagSet, map[string]*string, *bool, *string, *bool) {
	fs := flag.NewFlagSet("pat-check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	vals := map[string]*string{}
	for _, o := range config.Options {
		if o.Flag == "" {
			continue
		}
		if o.Kind == "bool" && o.FlagArg == "" {
			v := new(string)
			fs.Var((*boolFlag)(v), o.Flag, flagUsage(o))
			vals[o.Name] = v
			continue
		}
		vals[o.Name] = fs.String(o.Flag, "", flagUsage(o))
	}
	stdin := fs.Bool("token-stdin", false, "read the token from standard input instead of PAT_CHECK_TOKEN, GH_TOKEN or GITHUB_TOKEN")
	format := fs.String("format", "text", "output format: text or json (the JSON report)")
	quiet := fs.Bool("quiet", false, "print only the verdict line and the findings")
	return fs, vals, stdin, format, quiet
}

// flagUsage is what --help says of an option's flag: its command-line
// text, and its default when the flag has one (a DIR flag has none: it is
// given or not).
func flagUsage(o config.Option) string {
	u := o.Description
	if o.Usage != "" {
		u = o.Usage
	}
	if o.Default != "" && o.FlagArg == "" && !o.FlagNoDefault {
		u += " (default " + o.Default + ")"
	}
	return u
}

// boolFlag is the flag of a bool option: given alone (--require-expiration)
// it means true, and --require-expiration=VALUE keeps VALUE as typed, so
// the option table judges it the same way as on the other front-ends.
type boolFlag string

func (b *boolFlag) String() string {
	if b == nil {
		return ""
	}
	return string(*b)
}

func (b *boolFlag) Set(v string) error { *b = boolFlag(v); return nil }

// IsBoolFlag lets the flag package accept the flag without a value.
func (b *boolFlag) IsBoolFlag() bool { return true }

func (c *cli) parse() {
	fs, vals, stdin, format, quiet := c.flagSet()
	err := fs.Parse(c.args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.parseErr = ErrHelp
		return
	case err != nil:
		msg := err.Error()
		if strings.HasSuffix(msg, "-token") || strings.Contains(msg, "-token=") || strings.Contains(msg, "-token ") {
			msg = "the token is never given as a flag value (it would stay in shell history and process lists): set PAT_CHECK_TOKEN, or pipe it in with --token-stdin"
		} else if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
			msg = unknownFlag(fs, c.args, strings.TrimLeft(name, "-"))
		}
		// The flag package quotes what was typed; a token typed by mistake
		// must not be echoed.
		c.parseErr = &UsageError{Msg: token.RedactIn(msg) + " (see pat-check --help)"}
		return
	case fs.NArg() > 0 && fs.Arg(0) == "help" && len(c.args) == 1:
		// pat-check help: the help, as --help shows it.
		c.parseErr = ErrHelp
		return
	case fs.NArg() > 0:
		if token.KindOf(fs.Arg(0)) != token.Unknown || token.RedactIn(fs.Arg(0)) != fs.Arg(0) {
			c.parseErr = &UsageError{Msg: "a token is never given as an argument (it would stay in shell history and process lists): set PAT_CHECK_TOKEN, or pipe it in with --token-stdin"}
			return
		}
		if hint := boolValueHint(c.args, fs.NArg()); hint != "" {
			c.parseErr = &UsageError{Msg: hint}
			return
		}
		c.parseErr = &UsageError{Msg: fmt.Sprintf("unexpected argument %q: the subcommands are needs, demo and version, the rest are flags (see pat-check --help)", clipArg(fs.Arg(0)))}
		return
	}
	c.raw = map[string]string{}
	fs.Visit(func(f *flag.Flag) {
		for name, p := range vals {
			if o, _ := config.Lookup(name); o.Flag == f.Name {
				c.raw[name] = *p
			}
		}
	})
	c.tokenStdin = *stdin
	c.quiet = *quiet
	c.format = strings.ToLower(*format)
	if c.format != "text" && c.format != "json" {
		c.parseErr = &UsageError{Msg: fmt.Sprintf("--format %q: use text or json", clipArg(*format))}
	}
	c.provider = strings.ToLower(c.raw["provider"])
}

// unknownFlag names a flag that does not exist, as it was typed, and the
// flag meant: one that the typed word begins (--repos, --repositories),
// else the nearest by spelling. A flag whose value is a path is never
// offered for a value shaped like owner/name: following that advice would
// write a file named octo-org/deploy.
func unknownFlag(fs *flag.FlagSet, args []string, name string) string {
	typed, value := "-"+name, ""
	for i, a := range args {
		if a == "--" {
			break
		}
		flagName, v, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || flagName != name {
			continue
		}
		typed = strings.TrimSuffix(a, "="+v)
		if hasValue {
			value = v
		} else if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			value = args[i+1]
		}
		break
	}
	ownerName := looksLikeOwnerName(value)
	var known []string
	fs.VisitAll(func(f *flag.Flag) {
		if ownerName && isPathFlag(f.Name) {
			return
		}
		known = append(known, f.Name)
	})
	known = append(known, "help")
	msg := fmt.Sprintf("unknown flag %s", clipArg(typed))
	if s := startedBy(name, known); s != "" {
		return msg + "; did you mean --" + s + "?"
	}
	if s := finding.Suggest(name, known); s != "" {
		return msg + strings.Replace(s, "did you mean ", "did you mean --", 1)
	}
	if s := prefixOf(name, known); s != "" {
		return msg + "; did you mean --" + s + "?"
	}
	return msg
}

// ownerNameShape is what a repository name looks like on the command line.
var ownerNameShape = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`)

func looksLikeOwnerName(v string) bool { return ownerNameShape.MatchString(v) }

// isPathFlag reports whether the flag's value is a file or directory path.
func isPathFlag(name string) bool {
	for _, o := range config.Options {
		if o.Flag == name {
			return o.Path
		}
	}
	return false
}

// startedBy is the one known flag that begins with name (at least three
// characters): --repos for --repositories.
func startedBy(name string, known []string) string {
	found := ""
	for _, k := range known {
		if len(name) >= 3 && strings.HasPrefix(k, name) && k != name {
			if found != "" {
				return ""
			}
			found = k
		}
	}
	return found
}

// prefixOf is the one known flag that starts with name (or that name
// starts with), when the edit distance is too far: --perm for --permissions.
func prefixOf(name string, known []string) string {
	found := ""
	for _, k := range known {
		if len(name) >= 3 && (strings.HasPrefix(k, name) || strings.HasPrefix(name, k)) {
			if found != "" {
				return ""
			}
			found = k
		}
	}
	return found
}

// boolValueHint explains a true or false left over after a flag that
// takes none (--require-expiration true): the flag package reads such a
// flag alone, and the value must be joined to it with "=". rest is the
// number of arguments left unparsed.
func boolValueHint(args []string, rest int) string {
	i := len(args) - rest
	if i < 1 || i >= len(args) {
		return ""
	}
	switch strings.ToLower(args[i]) {
	case "true", "false", "yes", "no", "on", "off", "1", "0":
	default:
		return ""
	}
	prev := args[i-1]
	name := strings.TrimLeft(prev, "-")
	if !strings.HasPrefix(prev, "-") || strings.Contains(name, "=") || !isBoolFlag(name) {
		return ""
	}
	return fmt.Sprintf("unexpected argument %q after %s: a yes-or-no flag takes its value after \"=\", as in %s=%s (%s alone means true)",
		args[i], prev, prev, strings.ToLower(args[i]), prev)
}

// isBoolFlag reports whether the flag is a yes-or-no one, given alone.
func isBoolFlag(name string) bool {
	switch name {
	case "token-stdin", "quiet":
		return true
	}
	for _, o := range config.Options {
		if o.Flag == name {
			return o.Kind == "bool" && o.FlagArg == ""
		}
	}
	return false
}

// clipArg shows a mistyped argument safely: token-shaped text redacted,
// long text cut.
func clipArg(a string) string {
	return finding.Clip(token.RedactIn(a), 40)
}

// Help is the text of --help: every flag, the token's sources, exit codes.
func Help() string {
	var b strings.Builder
	b.WriteString(`pat-check: check a GitHub or Azure DevOps personal access token before a job uses it.

Usage:
  pat-check [flags]            check the token in PAT_CHECK_TOKEN, GH_TOKEN or GITHUB_TOKEN
                               (AZURE_DEVOPS_EXT_PAT for --provider azure-devops)
  pat-check --token-stdin ...  read the token from standard input
  pat-check --tokens-from-env RELEASE_PAT,DOCS_PAT
                               check several tokens at once, each with what the workflows and
                               pipelines under the current directory need of its name
  pat-check needs [PATH ...]   what the tokens of workflows and pipelines need (see pat-check needs --help)
  pat-check demo               run built-in scenarios against a simulated API (no network, no token)
  pat-check demo --serve ADDR  serve the simulated APIs at ADDR (e.g. 127.0.0.1:8080) to try every flag
  pat-check version            print the version

The token is never a flag value: it would stay in shell history and process lists.

Flags:
`)
	for _, o := range config.Options {
		if o.Flag == "" {
			continue
		}
		fmt.Fprintf(&b, "  --%s %s\n      %s\n", o.Flag, placeholder(o), flagUsage(o))
	}
	b.WriteString(`  --token-stdin
      Read the token from standard input (at most 64 KiB; surrounding whitespace is trimmed,
      and a line break inside is reported as a malformed token).
  --format text|json
      text (default) for people; json prints the JSON report.
  --quiet
      Print only the verdict line and one line per finding.
  --help
      This text.

Environment: PAT_CHECK_TOKEN, GH_TOKEN, GITHUB_TOKEN, AZURE_DEVOPS_EXT_PAT (the token);
GITHUB_API_URL (the default of --api-url);
GITHUB_SERVER_URL (the web address used in links, when it differs from what --api-url implies);
NO_COLOR (plain text).

Exit codes: 0 pass (possibly with warnings), 1 the token fails a check, 2 invalid options,
3 inconclusive (the API could not be reached, timed out, was rate-limited or answered 5xx).
`)
	return b.String()
}

func placeholder(o config.Option) string {
	switch {
	case o.FlagArg != "":
		return o.FlagArg
	case o.Path:
		return "FILE"
	case len(o.Choices) > 0:
		return strings.Join(o.Choices, "|")
	}
	switch o.Kind {
	case "int":
		return "N"
	case "bool":
		return "[=true|false]"
	case "date":
		return "YYYY-MM-DD"
	case "list":
		return "LIST"
	}
	return "VALUE"
}

// TokenVariables names the environment variables the command line reads
// one platform's token from, after PAT_CHECK_TOKEN: those of the
// platform's own tools (GH_TOKEN, AZURE_DEVOPS_EXT_PAT). The pipeline
// builds them from its providers, so that no front-end names a platform.
type TokenVariables struct {
	// Provider is the provider option's value that names the platform.
	Provider string
	// Names are the variables, in the order they are read.
	Names []string
}

// ownTokenVariable is pat-check's own variable for the token, read first
// whatever the platform.
const ownTokenVariable = "PAT_CHECK_TOKEN"

// tokenNames are the variables the token is read from, in order:
// pat-check's own, then the platform's the provider option names, or for
// auto (or a value that names no platform) every platform's in turn.
func (c *cli) tokenNames() []string {
	names := []string{ownTokenVariable}
	for _, v := range c.tokenVars {
		if v.Provider == c.provider {
			return append(names, v.Names...)
		}
	}
	for _, v := range c.tokenVars {
		names = append(names, v.Names...)
	}
	return names
}

func (c *cli) Token() (string, error) {
	names := c.tokenNames()
	if c.tokenStdin {
		b, err := c.readStdin()
		if err != nil {
			return "", err
		}
		c.source = "standard input"
		for _, n := range names {
			if c.env(n) != "" {
				c.source += ", not " + n + " (also set)"
				break
			}
		}
		// Surrounding whitespace (the pipe's final newline) is trimmed by
		// the inspection; a break inside is reported there as malformed.
		return string(b), nil
	}
	for _, n := range names {
		if v := c.env(n); v != "" {
			c.source = n
			return v, nil
		}
	}
	return "", nil
}

// readStdin reads the token from standard input: from a pipe as it comes,
// from a terminal after a prompt and without echo, as gh auth login
// --with-token users expect.
func (c *cli) readStdin() ([]byte, error) {
	if c.terminal(c.stdio.In) {
		c.term.mu.Lock()
		c.term.restore = c.save(c.stdio.In)
		c.term.mu.Unlock()
		_, _ = io.WriteString(c.stdio.Err, "Paste the token and press Enter (it is not shown): ")
		b, err := c.readSecret(c.stdio.In)
		c.term.mu.Lock()
		c.term.restore = nil
		c.term.mu.Unlock()
		_, _ = io.WriteString(c.stdio.Err, "\n")
		if err != nil {
			return nil, fmt.Errorf("reading the token from the terminal: %v", err)
		}
		return b, nil
	}
	b, err := io.ReadAll(io.LimitReader(c.stdio.In, maxStdinToken+1))
	if err != nil {
		return nil, fmt.Errorf("reading the token from standard input: %v", err)
	}
	if len(b) > maxStdinToken {
		return nil, &UsageError{Msg: "standard input is longer than any token (64 KiB): pipe in the token alone"}
	}
	return b, nil
}

// isTerminal reports whether r is a terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// readPassword reads a line from the terminal r without echo.
func readPassword(r io.Reader) ([]byte, error) {
	f, ok := r.(*os.File)
	if !ok {
		return nil, errors.New("standard input is not a terminal")
	}
	return term.ReadPassword(int(f.Fd()))
}

// Mask has nothing to do on a terminal: the token is never printed there,
// only its redacted form.
func (c *cli) Mask([]string) {}

func (c *cli) Options() (map[string]string, error) {
	if c.parseErr != nil {
		if errors.Is(c.parseErr, ErrHelp) {
			_, _ = io.WriteString(c.stdio.Out, Help())
		}
		return nil, c.parseErr
	}
	return c.raw, nil
}

func (c *cli) Env() config.Env {
	return config.Env{GitHubAPIURL: c.env("GITHUB_API_URL"), GitHubServerURL: c.env("GITHUB_SERVER_URL"), LocalDir: true}
}

// Job: on the command line there is none; --workflow names the file.
func (c *cli) Job() Job { return Job{} }

func (c *cli) OptionName(canonical string) string {
	if o, ok := config.Lookup(canonical); ok && o.Flag != "" {
		return "--" + o.Flag
	}
	return canonical
}

func (c *cli) Event() Event { return Event{} }

func (c *cli) Emit(r report.Report, redacted string) error {
	if c.format == "json" {
		_, err := c.stdio.Out.Write(r.JSON())
		return err
	}
	style := report.TextStyle{Color: c.stdio.Terminal && c.env("NO_COLOR") == "" && c.env("TERM") != "dumb", Quiet: c.quiet}
	if redacted != "" && c.source != "" {
		redacted += " (from " + c.source + ")"
	}
	_, err := io.WriteString(c.stdio.Out, r.Text(style, redacted))
	return err
}
