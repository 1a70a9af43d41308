module github.com/pat-check/pat-check

go 1.26

toolchain go1.26.8

require (
	github.com/google/go-github/v62 v62.0.0
	github.com/google/uuid v1.1.1
	github.com/microsoft/azure-devops-go-api/azuredevops/v7 v7.1.1-0.20241014080628-3045bdf43455
	github.com/sethvargo/go-githubactions v1.4.0
)

require github.com/google/go-querystring v1.1.0 // indirect
