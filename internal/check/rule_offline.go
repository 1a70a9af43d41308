package check

import (
	"fmt"
	"strings"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// evalOffline is the format check and the allowed kinds: what is known
// before any request.
func (o *Outcome) evalOffline(req Requirements, insp token.Inspection) {
	if len(insp.Problems) > 0 {
		msgs := make([]string, 0, len(insp.Problems))
		for _, p := range insp.Problems {
			o.find(finding.Finding{Code: p.Code, Severity: finding.Error, Message: p.Message, About: finding.About{Reference: p.Reference, RefreshToken: insp.Kind == token.Refresh}})
			msgs = append(msgs, p.Message)
		}
		o.add(finding.Check{Name: "Format", State: finding.Fail, Detail: strings.Join(msgs, "; ")})
	} else {
		o.add(finding.Check{Name: "Format", State: finding.Pass, Detail: DescribeKind(insp.Kind)})
	}
	if len(req.TokenTypes) == 0 {
		return
	}
	if kindAllowed(req.TokenTypes, insp.Kind) {
		o.add(finding.Check{Name: "Token kind allowed", State: finding.Pass, Detail: string(insp.Kind)})
		return
	}
	allowed := make([]string, len(req.TokenTypes))
	for i, k := range req.TokenTypes {
		allowed[i] = string(k)
	}
	msg := fmt.Sprintf("the token is %s, and token-types allows only %s", withArticle(DescribeKind(insp.Kind)), strings.Join(allowed, ", "))
	if insp.Kind == token.Unknown {
		msg = fmt.Sprintf("the token's kind cannot be recognised from its format, and token-types allows only %s", strings.Join(allowed, ", "))
	}
	o.find(finding.Finding{Code: finding.TokenTypeDisallowed, Severity: finding.Error, Message: msg, About: finding.About{TokenKinds: allowed}})
	o.add(finding.Check{Name: "Token kind allowed", State: finding.Fail, Detail: msg})
}
