// Package token knows what a GitHub or Azure DevOps token looks like, without
// asking anyone.
//
// It sits between masking and the first API call in the pipeline: a value
// that is empty, an unsubstituted "$(NAME)", pasted with a line break, or a
// classic token whose checksum does not match can be rejected here, with a
// precise reason, before the secret travels anywhere. Every format rule that
// is not confirmed by a primary source degrades to [Unknown] (let the API
// decide) rather than to a false failure.
//
// The package is pure: no network, no environment, no clock. It is also the
// one place that decides how a token may be shown ([Redact]) and which
// derived values a CI log must hide ([MaskForms]), so that those rules cannot
// drift apart between front-ends. No message built here ever contains the
// token beyond its public kind prefix.
package token
