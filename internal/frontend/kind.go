package frontend

// Kind is a front-end: where pat-check runs, which decides how options,
// the token and the report travel, and how guidance speaks of secrets.
type Kind string

// The front-ends.
const (
	Actions        Kind = "actions" // a GitHub Actions step
	AzurePipelines Kind = "azure"   // an Azure Pipelines task
	CommandLine    Kind = "cli"     // a terminal or a script
)

// Job is what a front-end reads of the CI job it runs in, for infer: where
// the running workflow or pipeline is, which step runs pat-check, and the
// front-end's own words for what is missing. On the command line there is
// no job (CI is false): the workflow option names the file.
type Job struct {
	// CI is true under GitHub Actions and Azure Pipelines: the file infer
	// reads is the running job's, and must stay inside the checkout.
	CI bool
	// Option is the option infer's problems are reported against: infer
	// where the file is the running workflow's, workflow (pipelineFile)
	// where the option names it.
	Option string
	// File is the running workflow's file, relative to Dir, when the
	// platform names it (GITHUB_WORKFLOW_REF); "" takes the workflow
	// option. NoFile says why the platform's name for it is unusable.
	File   string
	NoFile string
	// Dir is the checkout; NoDir says why there is none and what to do.
	Dir   string
	NoDir string
	// Nothing, when set, is why there is nothing to read at all, which is
	// no error (a classic release job has no pipeline YAML).
	Nothing string
	// Name and Step are the job and the step that run pat-check
	// (GITHUB_JOB, GITHUB_ACTION), when the platform says.
	Name, Step string
	// DirVariable is the variable that holds the checkout
	// (GITHUB_WORKSPACE, BUILD_SOURCESDIRECTORY), FileNoun what the file
	// is ("workflow file", "pipeline file"), and CheckOut how to put the
	// file there, for a file missing from the checkout.
	DirVariable string
	FileNoun    string
	CheckOut    string
}
