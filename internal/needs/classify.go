package needs

import (
	"strings"
	"unicode"

	"github.com/pat-check/pat-check/internal/check"
	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
)

// maxDepth bounds the YAML nesting pat-check walks (the YAML parser's
// own limit); maxNesting the brackets and parentheses of a file or
// script, checked before any parser recurses into them: a script of
// 200,000 nested parentheses would overflow the stack of a recursive
// descent parser, and Go cannot recover from that.
const (
	maxDepth   = 10000
	maxNesting = 1000
)

// envDest is what reads an environment variable, by the reading program's
// documentation: a platform's token, or a value for another service.
type envDest struct {
	platform check.Platform // GitHub or Azure DevOps; empty with other
	other    string         // the service the value is for, when not a token
}

// knownEnv are environment variables programs read by name.
var knownEnv = map[string]envDest{
	// gh: https://cli.github.com/manual/gh_help_environment
	"GH_TOKEN": {platform: ghplatform.Platform}, "GITHUB_TOKEN": {platform: ghplatform.Platform},
	"GH_ENTERPRISE_TOKEN": {platform: ghplatform.Platform}, "GITHUB_ENTERPRISE_TOKEN": {platform: ghplatform.Platform},
	// Homebrew: https://docs.brew.sh/Manpage#environment
	"HOMEBREW_GITHUB_API_TOKEN": {platform: ghplatform.Platform},
	// az devops: https://learn.microsoft.com/en-us/azure/devops/cli/log-in-via-pat
	"AZURE_DEVOPS_EXT_PAT": {platform: azplatform.Platform}, "SYSTEM_ACCESSTOKEN": {platform: azplatform.Platform},
	"AWS_ACCESS_KEY_ID": {other: "AWS"}, "AWS_SECRET_ACCESS_KEY": {other: "AWS"}, "AWS_SESSION_TOKEN": {other: "AWS"},
	"AZURE_CLIENT_SECRET": {other: "Microsoft Entra ID (a service principal)"}, "AZURE_CLIENT_ID": {other: "Microsoft Entra ID (an identifier)"},
	"AZURE_TENANT_ID": {other: "Microsoft Entra ID (an identifier)"}, "ARM_CLIENT_SECRET": {other: "Microsoft Entra ID (a service principal)"},
	"ARM_CLIENT_ID": {other: "Microsoft Entra ID (an identifier)"}, "ARM_TENANT_ID": {other: "Microsoft Entra ID (an identifier)"},
	"ARM_SUBSCRIPTION_ID": {other: "Azure (an identifier)"}, "GOOGLE_APPLICATION_CREDENTIALS": {other: "Google Cloud"},
	"TWINE_PASSWORD": {other: "PyPI (twine)"}, "TWINE_USERNAME": {other: "PyPI (twine)"}, "CARGO_REGISTRY_TOKEN": {other: "crates.io (cargo)"},
	"GEM_HOST_API_KEY": {other: "RubyGems"}, "CODECOV_TOKEN": {other: "Codecov"}, "SONAR_TOKEN": {other: "SonarQube"},
	"SNYK_TOKEN": {other: "Snyk"}, "NETLIFY_AUTH_TOKEN": {other: "Netlify"}, "VERCEL_TOKEN": {other: "Vercel"},
	"CLOUDFLARE_API_TOKEN": {other: "Cloudflare"}, "FIREBASE_TOKEN": {other: "Firebase"}, "HEROKU_API_KEY": {other: "Heroku"},
	"SENTRY_AUTH_TOKEN": {other: "Sentry"}, "TURBO_TOKEN": {other: "Vercel remote cache (turbo)"}, "NX_CLOUD_ACCESS_TOKEN": {other: "Nx Cloud"},
	"CHROMATIC_PROJECT_TOKEN": {other: "Chromatic"}, "COSIGN_PASSWORD": {other: "cosign (signing)"}, "COSIGN_PRIVATE_KEY": {other: "cosign (signing)"},
	"GORELEASER_KEY": {other: "GoReleaser Pro (a license key)"}, "DOCKER_PASSWORD": {other: "a container registry"},
	"DOCKER_USERNAME": {other: "a container registry (a user name)"}, "SLACK_WEBHOOK_URL": {other: "Slack (a webhook)"},
	"SLACK_WEBHOOK": {other: "Slack (a webhook)"}, "SLACK_BOT_TOKEN": {other: "Slack"}, "DISCORD_WEBHOOK": {other: "Discord (a webhook)"},
	"OSSRH_USERNAME": {other: "Maven Central"}, "OSSRH_PASSWORD": {other: "Maven Central"}, "MAVEN_GPG_PASSPHRASE": {other: "Maven (signing)"},
	"GPG_PRIVATE_KEY": {other: "GPG (signing)"}, "GPG_PASSPHRASE": {other: "GPG (signing)"}, "CACHIX_AUTH_TOKEN": {other: "Cachix"},
	"ANACONDA_API_TOKEN": {other: "Anaconda"}, "OPENAI_API_KEY": {other: "OpenAI"}, "ANTHROPIC_API_KEY": {other: "Anthropic"},
	"APPLE_ID_PASSWORD": {other: "Apple (notarization)"}, "MATCH_PASSWORD": {other: "fastlane match (signing)"},
	"APP_STORE_CONNECT_API_KEY": {other: "App Store Connect"}, "EXPO_TOKEN": {other: "Expo"}, "CODECOV_API_KEY": {other: "Codecov"},
	"COVERALLS_REPO_TOKEN": {other: "Coveralls"}, "HF_TOKEN": {other: "Hugging Face"}, "VSCE_PAT": {platform: azplatform.Platform},
}

// nameWords splits a name into upper-case words: GH_PAT, githubAuthToken,
// AzDevopsFeedUserNameKVPAT.
func nameWords(name string) []string {
	var words []string
	var cur []rune
	rs := []rune(name)
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToUpper(string(cur)))
			cur = nil
		}
	}
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))):
			flush()
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// platformWords name GitHub or Azure DevOps in a secret's name.
var platformWords = []string{"GITHUB", "GH", "GHCR", "PAT", "ADO", "AZDO", "DEVOPS", "VSTS", "VSO", "HUB"}

// otherWords name something that is no GitHub or Azure DevOps token.
var otherWords = map[string]string{
	"PASSWORD": "a password", "PASSWD": "a password", "PASSPHRASE": "a passphrase", "PWD": "a password",
	"CERT": "a certificate", "CERTIFICATE": "a certificate", "P12": "a certificate", "PFX": "a certificate", "KEYSTORE": "a signing key",
	"SIGNING": "signing material", "GPG": "a GPG key", "PGP": "a PGP key", "KEYGRIP": "a GPG key grip", "SSH": "an SSH key",
	"WEBHOOK": "a webhook", "HOOK": "a webhook", "SLACK": "Slack", "DISCORD": "Discord", "TEAMS": "Microsoft Teams", "TELEGRAM": "Telegram",
	"USER": "a user name", "USERNAME": "a user name", "EMAIL": "an e-mail address", "LOGIN": "a user name",
	"ID": "an identifier", "TENANT": "an identifier", "SUBSCRIPTION": "an identifier",
	"NPM": "npm", "PYPI": "PyPI", "TWINE": "PyPI", "NUGET": "NuGet", "CARGO": "crates.io", "CRATES": "crates.io", "RUBYGEMS": "RubyGems",
	"MAVEN": "Maven", "OSSRH": "Maven Central", "SONATYPE": "Maven Central", "GRADLE": "Gradle", "DOCKER": "a container registry",
	"DOCKERHUB": "Docker Hub", "QUAY": "Quay", "AWS": "AWS", "GCP": "Google Cloud", "GCLOUD": "Google Cloud", "GOOGLE": "Google",
	"FIREBASE": "Firebase", "CODECOV": "Codecov", "COVERALLS": "Coveralls", "SONAR": "SonarQube", "SNYK": "Snyk", "SENTRY": "Sentry",
	"NETLIFY": "Netlify", "VERCEL": "Vercel", "CLOUDFLARE": "Cloudflare", "HEROKU": "Heroku", "CHROMATIC": "Chromatic",
	"APPLE": "Apple", "FASTLANE": "fastlane", "ANDROID": "Android signing", "EXPO": "Expo", "TURBO": "Vercel remote cache",
	"CACHIX": "Cachix", "ANACONDA": "Anaconda", "OPENAI": "OpenAI", "ANTHROPIC": "Anthropic", "CROWDIN": "Crowdin",
	"TRANSIFEX": "Transifex", "ALGOLIA": "Algolia", "URL": "a URL", "LINK": "a link", "VERSION": "a version", "BRANCH": "a branch name", "NAME": "a name",
	"OWNER": "an owner's name", "ORG": "an organization's name",
	"COSIGN": "cosign", "NOTARY": "notarization", "AZURE": "Azure (not Azure DevOps)", "ARM": "Azure Resource Manager",
	"CLIENT": "an application credential", "VAULT": "a vault", "KV": "a key vault",
}

// credentialWords mark a name as some credential.
var credentialWords = []string{"TOKEN", "PAT", "KEY", "SECRET", "PASSWORD", "PASS", "CRED", "CREDENTIALS", "AUTH", "PWD", "APIKEY"}

// byName says what a secret's name tells when where it goes does not: a
// service other than GitHub and Azure DevOps, a password, an identifier.
// "" when the name names no other service (a PAT, a token): its needs are
// then unknown, never guessed. dest, when given, is the input or variable
// the value is handed to, read the same way.
func byName(name, dest string) string {
	// A name that names GitHub or Azure DevOps (on either side) is left to
	// where it goes: unknown when that is not known.
	for _, n := range []string{name, dest} {
		if n == "" {
			continue
		}
		words := nameWords(n)
		if len(words) == 0 {
			continue
		}
		up := strings.ToUpper(n)
		platform := strings.Contains(up, "GITHUB") || strings.Contains(up, "DEVOPS")
		for _, w := range words {
			for _, p := range platformWords {
				if w == p || (len(p) > 3 && strings.Contains(w, p)) {
					platform = true
				}
			}
		}
		if !platform {
			continue
		}
		if n == name {
			// USER in GITHUB_USER still names a user, not a token; an
			// ADO_PR_LINK a link.
			switch w := words[len(words)-1]; w {
			case "USER", "USERNAME", "EMAIL", "ID", "LOGIN", "URL", "LINK", "BRANCH", "VERSION", "NAME", "OWNER", "ORG":
				return otherWords[w]
			}
		}
		return ""
	}
	for _, n := range []string{dest, name} {
		if n == "" {
			continue
		}
		words := nameWords(n)
		for i := len(words) - 1; i >= 0; i-- {
			if what, ok := otherWords[words[i]]; ok {
				return what
			}
		}
		if n == name {
			credential := false
			for _, w := range words {
				for _, c := range credentialWords {
					if w == c || strings.HasSuffix(w, c) {
						credential = true
					}
				}
			}
			if !credential {
				return "a value its name does not call a credential"
			}
		}
	}
	return ""
}
