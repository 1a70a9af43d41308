// Package demo is `pat-check demo`: built-in scenarios run against the
// simulated GitHub and Azure DevOps APIs on loopback listeners inside the
// process, with no network and no real token. Each scenario goes through
// the same pipeline as a real check (app.Main); the pipeline knows nothing
// of the demo or the simulator. `pat-check demo --serve ADDR` serves the
// same simulated APIs until interrupted, so that every option can be tried
// against them from another shell.
package demo

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/pat-check/pat-check/internal/app"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/report"
	"github.com/pat-check/pat-check/internal/token"
)

// scenario is one run of the demo: a token the simulated API knows and
// the flags a user would pass.
type scenario struct {
	title string
	token string
	flags []string
}

// publicAzure is where the links of the Azure DevOps scenario point once
// the demo's own server is gone: the public host, as github.com is for the
// GitHub scenarios.
const publicAzure = "https://dev.azure.com"

// Host is what the demo takes from the program that runs it: the clock
// the simulated tokens expire by and the checks read (the dates the demo
// prints follow it), and the version it names. The binary passes time.Now
// and app.Version(); the README's golden test a fixed instant and "dev".
// A nil Now is time.Now, an empty Version is app.Version().
type Host struct {
	Now     func() time.Time
	Version string
}

// now is the host's clock, in UTC.
func (h Host) now() time.Time {
	if h.Now == nil {
		return time.Now().UTC()
	}
	return h.Now().UTC()
}

func (h Host) version() string {
	if h.Version == "" {
		return app.Version()
	}
	return h.Version
}

// usage is the text of pat-check demo --help.
const usage = `Usage: pat-check demo [--serve ADDR [--allow-remote]]

Without flags, runs built-in checks of simulated tokens, each through the real pipeline, against
simulated GitHub and Azure DevOps APIs on loopback: no network, no token of yours.

  --serve ADDR      serve the simulated APIs at ADDR (host:port, e.g. 127.0.0.1:8080) until
                    interrupted, and print the commands that try each flag against them
  --allow-remote    let --serve listen on an address other than loopback
`

// Run runs the built-in scenarios, or with --serve ADDR serves the
// simulated APIs, and returns the exit code.
func Run(ctx context.Context, args []string, env frontend.Getenv, stdio frontend.Stdio, host Host) int {
	fs := flag.NewFlagSet("pat-check demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	serve := fs.String("serve", "", "serve the simulated APIs at this address (host:port) until interrupted")
	remote := fs.Bool("allow-remote", false, "let --serve listen on an address other than loopback")
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdio.Out, usage)
		return report.ExitPass
	}
	if err != nil || fs.NArg() > 0 {
		what := "unexpected argument"
		if err != nil {
			what = err.Error()
		} else {
			what += " " + fmt.Sprintf("%q", fs.Arg(0))
		}
		fmt.Fprintf(stdio.Err, "pat-check demo: %s\nUsage: pat-check demo [--serve ADDR [--allow-remote]]\n", what)
		return report.ExitConfig
	}
	command := Invocation(os.Executable, exec.LookPath)
	if *serve != "" {
		return Serve(ctx, *serve, *remote, command, stdio, host)
	}
	return runScenarios(ctx, env, command, stdio, host)
}

func runScenarios(ctx context.Context, env frontend.Getenv, command string, stdio frontend.Stdio, host Host) int {
	now := host.now()
	sim, scenarios := gitHubWorld(now)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	ado, adoScenario := azureDevOpsWorld(now)
	adoSrv := httptest.NewServer(ado)
	defer adoSrv.Close()
	adoScenario.flags = append(adoScenario.flags, "--organization", adoSrv.URL+"/contoso")
	scenarios = append(scenarios, adoScenario)

	fmt.Fprintf(stdio.Out, "pat-check %s demo: %d checks of simulated tokens, each through the real pipeline, against a simulated GitHub API\n"+
		"(scopes, expiry, revocation, SAML SSO, fine-grained permissions) and a simulated Azure DevOps organization (scopes, expiry\n"+
		"from the token list), both inside this process: no network, no real token. Links point to github.com and dev.azure.com,\n"+
		"where a real token is fixed. To try your own options against the simulated APIs: %s demo --serve 127.0.0.1:8080\n",
		host.version(), len(scenarios), command)
	for i, s := range scenarios {
		shown := strings.ReplaceAll(strings.Join(s.flags, " "), adoSrv.URL+"/contoso", "contoso")
		fmt.Fprintf(stdio.Out, "\n=== %d. %s ===\n$ PAT_CHECK_TOKEN=%s pat-check %s\n\n", i+1, s.title, token.Redact(s.token), shown)
		demoEnv := func(name string) string {
			switch name {
			case "PAT_CHECK_TOKEN":
				return s.token
			case "GITHUB_SERVER_URL":
				// Links point where a user would fix the token.
				return "https://github.com"
			case "NO_COLOR", "TERM":
				return env(name)
			}
			return ""
		}
		flags := append([]string{}, s.flags...)
		if s.token != adoScenario.token {
			flags = append(flags, "--api-url", srv.URL)
		}
		// The output is held until the run ends, so that the Azure DevOps
		// links can be rewritten to the public host.
		var out bytes.Buffer
		sub := stdio
		sub.Out = &out
		code := app.Main(ctx, flags, demoEnv, sub, app.World{Now: host.now})
		_, _ = io.WriteString(stdio.Out, strings.ReplaceAll(out.String(), adoSrv.URL, publicAzure))
		fmt.Fprintf(stdio.Out, "\n(exit code %d)\n", code)
	}
	return 0
}

// Invocation is how a user runs this same program from another shell:
// "pat-check" when that name on PATH is this executable; "go run
// ./cmd/pat-check" when go run built it (in a temporary go-build
// directory, gone when it stops); else the executable's path, quoted for
// a shell. executable and lookPath are os.Executable and exec.LookPath.
func Invocation(executable func() (string, error), lookPath func(string) (string, error)) string {
	exe, err := executable()
	if err != nil || exe == "" {
		return "pat-check"
	}
	if onPath, err := lookPath("pat-check"); err == nil && sameFile(onPath, exe) {
		return "pat-check"
	}
	for _, dir := range strings.Split(filepath.ToSlash(filepath.Dir(exe)), "/") {
		if strings.HasPrefix(dir, "go-build") {
			return "go run ./cmd/pat-check"
		}
	}
	return shellJoin([]string{exe})
}

// sameFile reports whether two paths name one file.
func sameFile(a, b string) bool {
	if a == b {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// Serve serves the simulated GitHub API at addr and the simulated Azure
// DevOps organization next to it (same host, a free port), prints their
// URLs, the simulated tokens and a command per scenario that runs as
// printed (command is how to start pat-check: see Invocation), and stops
// when ctx ends (SIGINT). It listens on loopback only unless allowRemote
// is set: the tokens are simulated, but the server answers anyone who can
// reach it.
//
// The fixes' links point at the public hosts, as in the plain demo: the
// commands set GITHUB_SERVER_URL to github.com, and the organization's
// web pages (any path outside _apis) redirect to dev.azure.com.
func Serve(ctx context.Context, addr string, allowRemote bool, command string, stdio frontend.Stdio, host Host) int {
	return serve(ctx, addr, allowRemote, command, serveLimits, stdio, host)
}

// serve is Serve within limits l.
func serve(ctx context.Context, addr string, allowRemote bool, command string, l limits, stdio frontend.Stdio, h Host) int {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintf(stdio.Err, "pat-check demo: --serve %q: give host:port, such as 127.0.0.1:8080 (%v)\n", addr, err)
		return report.ExitConfig
	}
	if !allowRemote && !loopback(host) {
		fmt.Fprintf(stdio.Err, "pat-check demo: --serve %s would answer other machines: use 127.0.0.1, ::1 or localhost, or add --allow-remote\n", addr)
		return report.ExitConfig
	}
	ghLn, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stdio.Err, "pat-check demo: --serve %s: %v\n", addr, err)
		return report.ExitConfig
	}
	adoLn, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		ghLn.Close()
		fmt.Fprintf(stdio.Err, "pat-check demo: a second port on %s for Azure DevOps: %v\n", host, err)
		return report.ExitConfig
	}
	now := h.now()
	sim, scenarios := gitHubWorld(now)
	ado, adoScenario := azureDevOpsWorld(now)
	sim.SetRecordLimit(l.Record)
	ado.SetRecordLimit(l.Record)
	errLog := frontend.Neutral(stdio.Err)
	gh := server(sim, ghLn, allowRemote, l, errLog)
	az := server(publicPages(ado, publicAzure), adoLn, allowRemote, l, errLog)
	errs := make(chan error, 2)
	go func() { errs <- gh.Serve(ghLn) }()
	go func() { errs <- az.Serve(adoLn) }()

	api := "http://" + ghLn.Addr().String()
	org := "http://" + adoLn.Addr().String() + "/contoso"
	var b strings.Builder
	fmt.Fprintf(&b, "pat-check %s demo: serving the simulated APIs until Ctrl-C (SIGINT)\n", h.version())
	fmt.Fprintf(&b, "  GitHub API:                %s   (--api-url)\n", api)
	fmt.Fprintf(&b, "  Azure DevOps organization: %s   (--organization)\n", org)
	b.WriteString("\nThe tokens below are simulated: they mean something only to this server.\nFrom another shell")
	if strings.HasPrefix(command, "go run ") {
		b.WriteString(", in the repository's root")
	}
	b.WriteString(", try:\n")
	adoScenario.flags = append(adoScenario.flags, "--organization", org)
	for _, s := range append(scenarios, adoScenario) {
		flags := s.flags
		if s.token != adoScenario.token {
			flags = append(append([]string{}, flags...), "--api-url", api)
		}
		vars := "PAT_CHECK_TOKEN=" + s.token
		if s.token != adoScenario.token {
			// Links lead where a real token is fixed, not to this server.
			vars = "GITHUB_SERVER_URL=https://github.com " + vars
		}
		fmt.Fprintf(&b, "\n  # %s\n  %s %s %s\n", s.title, vars, command, shellJoin(flags))
	}
	fmt.Fprintf(&b, "\nChange the flags freely (%s --help lists them); --format json prints the report.\n", command)
	_, _ = io.WriteString(stdio.Out, b.String())

	code := 0
	select {
	case <-ctx.Done():
	case err := <-errs:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(stdio.Err, "pat-check demo: %v\n", err)
			code = 1
		}
	}
	// Nothing needs draining: a simulated answer cut short harms no one,
	// and Shutdown would wait for connections a client opened but never used.
	_ = gh.Close()
	_ = az.Close()
	if code == 0 {
		fmt.Fprintln(stdio.Out, "pat-check demo: stopped")
	}
	return code
}

// publicPages answers the organization's web pages, which the fixes link
// to, with a redirect to the same page on the public host; the API (any
// path with an _apis segment) is the simulator's.
func publicPages(api http.Handler, public string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, seg := range strings.Split(r.URL.Path, "/") {
			if strings.EqualFold(seg, "_apis") {
				api.ServeHTTP(w, r)
				return
			}
		}
		http.Redirect(w, r, public+r.URL.EscapedPath(), http.StatusFound)
	})
}

// loopback reports whether host names this machine only.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// shellJoin quotes the arguments that a shell would split or expand.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"$`\\|&;<>()*?[]{}!#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}
