package token

import (
	"slices"
	"testing"
)

func TestKindProviderAndPrefix(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind     Kind
		provider string
		prefix   string
	}{
		{Unknown, "", ""},
		{Classic, "github", "ghp_"},
		{FineGrained, "github", "github_pat_"},
		{OAuth, "github", "gho_"},
		{AppUser, "github", "ghu_"},
		{AppInstallation, "github", "ghs_"},
		{Refresh, "github", "ghr_"},
		{AzureDevOps, "azure-devops", ""},
		{Kind("something-else"), "", ""},
	}
	for _, tc := range tests {
		t.Run(string(tc.kind), func(t *testing.T) {
			t.Parallel()
			if got := tc.kind.Prefix(); got != tc.prefix {
				t.Errorf("Prefix() = %q, want %q", got, tc.prefix)
			}
		})
	}
}

func TestKnownKinds(t *testing.T) {
	t.Parallel()
	want := []Kind{"classic", "fine-grained", "oauth", "github-app-user", "github-app-installation", "azure-devops"}
	got := KnownKinds()
	if !slices.Equal(got, want) {
		t.Fatalf("KnownKinds() = %v, want the contract's list %v", got, want)
	}
	got[0] = Unknown
	if KnownKinds()[0] != Classic {
		t.Error("a caller changing the returned slice changed the list for everyone")
	}
}

func TestParseKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Kind
		ok   bool
	}{
		{"classic", Classic, true},
		{"fine-grained", FineGrained, true},
		{"oauth", OAuth, true},
		{"github-app-user", AppUser, true},
		{"github-app-installation", AppInstallation, true},
		{"azure-devops", AzureDevOps, true},
		{"  Fine-Grained\n", FineGrained, true},
		{"AZURE-DEVOPS", AzureDevOps, true},
		{"unknown", Unknown, false},
		{"github-refresh", Unknown, false},
		{"fine_grained", Unknown, false},
		{"finegrained", Unknown, false},
		{"classic,oauth", Unknown, false},
		{"ghp_", Unknown, false},
		{"", Unknown, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseKind(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParseKind(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestKindOf covers the shapes KindOf must tell apart, including the ones it
// must not claim: a wrong guess has to end in Unknown, never in a false
// failure.
func TestKindOf(t *testing.T) {
	t.Parallel()
	azCurrent := makeAzureCurrent(50, "JQQJ99")
	tests := []struct {
		name string
		tok  string
		want Kind
	}{
		{"empty", "", Unknown},
		{"classic", makeClassic(51), Classic},
		{"classic prefix only", "ghp_", Classic},
		{"classic with whitespace", " " + makeClassic(52) + "\n", Classic},
		{"legacy hex", randomFrom(newRand(53), hexLower, 40), Classic},
		{"fine-grained", makeFineGrained(54), FineGrained},
		{"oauth", "gho_x", OAuth},
		{"app user", "ghu_x", AppUser},
		{"installation", "ghs_x", AppInstallation},
		{"refresh", "ghr_x", Refresh},
		{"prefix is case-sensitive", "GHP_" + randomFrom(newRand(55), alnum, 36), Unknown},
		{"prefix not at start", "x" + makeClassic(56), Unknown},
		{"azure legacy", makeAzureLegacy(57, azureUserPATSeed), AzureDevOps},
		{"azure legacy shape with bad checksum", randomFrom(newRand(58), base32Lower, 52), AzureDevOps},
		{"53 base32", randomFrom(newRand(59), base32Lower, 53), Unknown},
		{"azure current", azCurrent, AzureDevOps},
		{"azure current truncated by 4", azCurrent[:80], AzureDevOps},
		{"azure current truncated by 5", azCurrent[:79], Unknown},
		{"azure marker far too long", azCurrent + randomFrom(newRand(60), alnum, azureClaimSlack+1), Unknown},
		{"signature without marker", azCurrent[:76] + "XXXX" + azCurrent[80:], Unknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := KindOf(tc.tok); got != tc.want {
				t.Errorf("KindOf = %q, want %q", got, tc.want)
			}
		})
	}
}
