package check

// Platform names the platform that issued a token, where one is named
// without its package: the facts say which platform answered, and the
// inference of requirements (package needs) says which platform a step's
// token is for. Its value is the provider option's value for the platform
// ("github", "azure-devops"); each platform package defines its own
// (platform/github.Platform, platform/azdo.Platform) and its name in
// messages. The verdicts that differ between platforms are the platform
// packages' (see Issuer), never a switch on Platform.
type Platform string
