// Package azdo is Azure DevOps' knowledge as an issuer of tokens, apart
// from its API: the scope catalogue with the labels of the New Token page
// (catalogue.go, from the published scope table), the verdicts of the read
// probes that prove scopes (scope_verdicts.go), the scopes rule and its
// least-privilege counterpart, and its guidance. It is pure: provider/azdo
// does the I/O and records facts; check asks this package through
// check.Issuer.
//
// It sits above check (and guide) and imports them, never the reverse.
package azdo
