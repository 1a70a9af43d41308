package check

// Platform names the platform that issued a token, where one is named
// without its package: the facts say which platform answered, and the
// inference of requirements (package needs) says which platform a step's
// token is for. The verdicts that differ between platforms are the platform
// packages' (see Issuer), never a switch on Platform.
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
