// Package github is GitHub's knowledge as an issuer of tokens, apart from
// its API: the classic and OAuth scope hierarchy and what each scope allows
// (scopes.go, scope_info.go), the fine-grained permission catalogue
// (permissions.go, from GitHub's published permission data), the verdicts
// its permission probes lead to (permission_verdicts.go), the rules that
// only GitHub's tokens have (scopes, scope excess, kind advice), and its
// guidance. It is pure: provider/github does the I/O and records facts;
// check asks this package through check.Issuer.
//
// It sits above check (and guide) and imports them, never the reverse.
package github
