package azdo

import "github.com/pat-check/pat-check/internal/check"

// Platform is Azure DevOps (Services and Server) as check names it: the
// provider option's value for Azure DevOps.
const Platform check.Platform = "azure-devops"

// Name is Azure DevOps' name in messages.
const Name = "Azure DevOps"
