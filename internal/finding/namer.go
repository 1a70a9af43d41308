package finding

import "strings"

// Namer spells an option's canonical name (warn-days-left) as the user's
// front-end writes it: --warn-days-left on the command line, warnDaysLeft
// in an Azure Pipelines task, warn-days-left in a workflow. Every message
// that names an option spells it through one; nil keeps the canonical
// name.
type Namer func(canonical string) string

// Opt is the option canonical as the front-end spells it.
func (n Namer) Opt(canonical string) string {
	if n == nil {
		return canonical
	}
	return n(canonical)
}

// Setting is the option set to a value as the front-end writes it:
// "--provider azure-devops", "provider: azure-devops".
func (n Namer) Setting(canonical, value string) string {
	name := n.Opt(canonical)
	if strings.HasPrefix(name, "--") {
		return name + " " + value
	}
	return name + ": " + value
}
