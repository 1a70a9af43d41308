package needs

import (
	"testing"

	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
)

// A token used for both platforms is the platform most steps use it for;
// the other steps are unknowns that name both platforms as messages do.
func TestMixedPlatformsNamedInMessages(t *testing.T) {
	t.Parallel()
	a := Analysis{Uses: []Use{
		{Token: "BOT_PAT", Platform: ghplatform.Platform, Rule: "gh pr create"},
		{Token: "BOT_PAT", Platform: azplatform.Platform, Rule: "az repos list/show/pr list"},
		{Token: "BOT_PAT", Platform: ghplatform.Platform, Rule: "gh release create"},
	}}
	in := collect(a, "BOT_PAT", "", "")
	if in.Platform != ghplatform.Platform || len(in.Uses) != 2 || len(in.Unknowns) != 1 {
		t.Fatalf("platform %q, %d uses, unknowns %v", in.Platform, len(in.Uses), in.Unknowns)
	}
	want := "needs a token for Azure DevOps (az repos list/show/pr list), while the other steps need one for GitHub"
	if got := in.Unknowns[0].Why; got != want {
		t.Errorf("why = %q, want %q", got, want)
	}
	// A table row that names no platform is GitHub's.
	if (Row{}).platform() != ghplatform.Platform || (Row{Platform: azplatform.Platform}).platform() != azplatform.Platform {
		t.Error("Row.platform does not default to GitHub")
	}
}
