package github

import "github.com/pat-check/pat-check/internal/check"

// Platform is GitHub (github.com, GitHub Enterprise Server and GHE.com) as
// check names it: the provider option's value for GitHub.
const Platform check.Platform = "github"

// Name is GitHub's name in messages.
const Name = "GitHub"
