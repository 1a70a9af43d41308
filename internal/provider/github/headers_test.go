package github

import (
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/transport"

	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseScopes(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"":                                    {},
		"repo":                                {"repo"},
		"repo, workflow":                      {"repo", "workflow"},
		" repo ,, admin:org,":                 {"repo", "admin:org"},
		"gist, user, read:project":            {"gist", "user", "read:project"},
		"repo, ##[error]x, <b>, ::set-output": {"repo"},
	}
	for in, want := range tests {
		if got := ParseScopes(in); !reflect.DeepEqual(got, want) {
			t.Errorf("ParseScopes(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseExpiration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
	}{
		{"2023-01-31 23:00:00 UTC", "2023-01-31T23:00:00Z"},
		{"2023-04-26 23:23:18 +0200", "2023-04-26T21:23:18Z"},
		{"  2027-01-31 23:00:00 UTC ", "2027-01-31T23:00:00Z"},
		{"2023-04-26 23:23:18 -0700", "2023-04-27T06:23:18Z"},
		{"2027-01-31T23:00:00Z", "2027-01-31T23:00:00Z"},
	}
	for _, tt := range tests {
		got, err := ParseExpiration(tt.in)
		if err != nil || got.Format(time.RFC3339) != tt.want {
			t.Errorf("ParseExpiration(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "tomorrow", "2023-01-31", "2023-01-31 23:00:00 PST", "2023-13-31 23:00:00 UTC"} {
		if _, err := ParseExpiration(bad); err == nil {
			t.Errorf("ParseExpiration(%q) accepted, want an error (unknown, not a guess)", bad)
		}
	}
}

func TestParseSSO(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want SSO
	}{
		{"required; url=https://github.com/orgs/octo/sso?authorization_request=A1", SSO{Required: true, URL: "https://github.com/orgs/octo/sso?authorization_request=A1"}},
		{"partial-results; organizations=21955855,20582480", SSO{PartialOrganizations: []string{"21955855", "20582480"}}},
		{"required; url=http://evil.example.com/", SSO{Required: true}},
		{"required; url=javascript:alert(1)", SSO{Required: true}},
		{"", SSO{}},
	}
	for _, tt := range tests {
		if got := ParseSSO(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseSSO(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseAcceptedPermissions(t *testing.T) {
	t.Parallel()
	got := ParseAcceptedPermissions("pull_requests=read,contents=read; issues=read,contents=read")
	want := [][]AcceptedPermission{
		{{"pull_requests", "read"}, {"contents", "read"}},
		{{"issues", "read"}, {"contents", "read"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	if s := FormatAcceptedPermissions(got); s != "pull_requests:read and contents:read, or issues:read and contents:read" {
		t.Errorf("format = %q", s)
	}
	if got := ParseAcceptedPermissions("contents=write"); !reflect.DeepEqual(got, [][]AcceptedPermission{{{"contents", "write"}}}) {
		t.Errorf("single: %+v", got)
	}
	if got := ParseAcceptedPermissions(";,=,x"); got != nil {
		t.Errorf("garbage: %+v", got)
	}
}

func TestParsePolicyRefusal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		msg    string
		ok     bool
		policy finding.Policy
		url    string
	}{
		{"The 'octo' organization forbids access via a fine-grained personal access tokens if the token's lifetime is greater than 90 days. Please adjust your token's lifetime at the following URL: https://github.com/settings/personal-access-tokens/12885303",
			true, finding.PolicyLifetime, "https://github.com/settings/personal-access-tokens/12885303"},
		{"`octo` forbids access via a personal access token (classic). Please use a GitHub App.", true, finding.PolicyNoClassic, ""},
		{"`octo` forbids access via a fine-grained personal access token. Please use a GitHub App.", true, finding.PolicyNoFineGrained, ""},
		{"`octo` forbids access via something new.", true, finding.PolicyOther, ""},
		{"Resource not accessible by personal access token", false, finding.PolicyOther, ""},
	}
	for _, tt := range tests {
		got, ok := ParsePolicyRefusal(tt.msg)
		if ok != tt.ok || got.Policy != tt.policy || got.URL != tt.url {
			t.Errorf("ParsePolicyRefusal(%q) = %+v, %v; want %v %q, %v", tt.msg, got, ok, tt.policy, tt.url, tt.ok)
		}
	}
}

func TestCleanNeutralisesControlCharacters(t *testing.T) {
	t.Parallel()
	got := transport.CleanText("line one\r\n::error::forged\x1b[31m\tend", 300)
	if strings.ContainsAny(got, "\r\n\x1b\t") {
		t.Errorf("clean left control characters: %q", got)
	}
	if got := transport.CleanText(strings.Repeat("é", 400), 10); utf8.RuneCountInString(got) != 11 {
		t.Errorf("clip: %q", got)
	}
}

func FuzzParseExpiration(f *testing.F) {
	for _, s := range []string{"2023-01-31 23:00:00 UTC", "2023-04-26 23:23:18 +0200", "", "x", "2023-01-31 23:00:00 MST"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseExpiration(s)
		if err != nil {
			if !got.IsZero() {
				t.Errorf("error with a time: %v", got)
			}
			return
		}
		if got.Location() != time.UTC {
			t.Errorf("not UTC: %v", got)
		}
	})
}

func FuzzParseScopes(f *testing.F) {
	for _, s := range []string{"", "repo, workflow", ",,,", " a , b "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, sc := range ParseScopes(s) {
			if !scopeName.MatchString(sc) {
				t.Errorf("bad scope %q from %q", sc, s)
			}
		}
	})
}

func FuzzParseSSO(f *testing.F) {
	for _, s := range []string{"required; url=https://github.com/orgs/o/sso?x=1", "partial-results; organizations=1,2", "", ";;=;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := ParseSSO(s)
		if got.URL != "" && (!strings.HasPrefix(got.URL, "https://") || strings.ContainsAny(got.URL, " \r\n\"<>")) {
			t.Errorf("unsafe URL %q from %q", got.URL, s)
		}
	})
}

func FuzzParseAcceptedPermissions(f *testing.F) {
	for _, s := range []string{"contents=read", "pull_requests=read,contents=read; issues=read,contents=read", "", "=;=,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, set := range ParseAcceptedPermissions(s) {
			if len(set) == 0 {
				t.Error("empty set")
			}
			for _, p := range set {
				if p.Name == "" || p.Level == "" {
					t.Errorf("empty part %+v from %q", p, s)
				}
			}
		}
		out := FormatAcceptedPermissions(ParseAcceptedPermissions(s))
		if strings.ContainsAny(out, "\r\n") {
			t.Errorf("multi-line rendering %q", out)
		}
	})
}

// Case 6: a policy URL is read from the message only after cleaning: an
// escape sequence ends it, and nothing but printable characters is taken.
func TestPolicyURLIsTakenOnlyAfterCleaning(t *testing.T) {
	t.Parallel()
	msg := "`octo` forbids access via a fine-grained personal access tokens if the token's lifetime is greater than 90 days. Adjust: https://github.com/settings/personal-access-tokens/1\x1b[31m\x1b]8;;https://evil.example\x07"
	r, ok := ParsePolicyRefusal(msg)
	if !ok || r.URL != "https://github.com/settings/personal-access-tokens/1" {
		t.Errorf("URL = %q (%v)", r.URL, ok)
	}
}

// Case 4: a scopes header is read up to MaxScopes entries, whatever its size.
func TestScopesAreBounded(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 100000 {
		fmt.Fprintf(&b, "s%d, ", i)
	}
	if got := ParseScopes(b.String()); len(got) != MaxScopes {
		t.Errorf("%d scopes read, want %d", len(got), MaxScopes)
	}
}
