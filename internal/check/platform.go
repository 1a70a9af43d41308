package check

// Platform is the platform that issued the token. The verdicts that differ
// between platforms (how a rejection reads, how scopes are granted and
// proven) are made here, in one place, by platform; the provider packages
// say which platform their facts come from.
type Platform int

// The platforms.
const (
	GitHub Platform = iota
	AzureDevOps
)

// String names the platform as messages do.
func (p Platform) String() string {
	if p == AzureDevOps {
		return "Azure DevOps"
	}
	return "GitHub"
}
