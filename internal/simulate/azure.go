package simulate

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pat-check/pat-check/internal/platformdata"
)

// AzureDevOps is a simulated Azure DevOps Services organization (or Azure
// DevOps Server collection), an http.Handler. One server stands for the
// organization's host and all its sibling hosts (vssps., feeds., vsrm.):
// pat-check sends every request to the one host when the organization URL
// is not on dev.azure.com, so paths are the same as on the real hosts, below
// /{org}.
//
// It answers what pat-check asks: the resource-location discovery of the
// official Go client (OPTIONS /{org}/_apis, GET /{org}/_apis/ResourceAreas),
// GET /{org}/_apis/connectionData, one read endpoint per scope family, and
// the undocumented token list (_apis/Token/SessionTokens). Error bodies,
// status codes and headers are those Azure DevOps is documented or observed
// to send (the REST reference, learn.microsoft.com/rest/api/azure/devops,
// and azure-devops-go-api's handling of them). Like GitHub, it never changes
// its own state in response to a request, and every request that is neither
// GET nor OPTIONS is recorded as a violation: pat-check must never write.
//
// Safe for concurrent use: the setup methods may be called while requests
// are being served. The zero value is not usable; call NewAzureDevOps.
type AzureDevOps struct {
	mu sync.Mutex

	org     string
	latency time.Duration
	now     func() time.Time

	projects     map[string]string   // lower-cased name → name as added
	pats         map[string]AzurePAT // by exact value
	patOrder     []string            // keys of pats, in the order first added
	scopesHeader bool
	tokenList    bool

	failN      int
	failStatus int

	requests   []Request
	violations []string
	record     record // the bound on requests and violations kept
	seq        uint64 // numbers requests, for the activity ids
}

// AzurePAT is one personal access token the simulator knows.
type AzurePAT struct {
	// Value is the secret, sent as the password of Basic authentication.
	Value string
	// DisplayName is the token's name, as shown in the user's token list.
	DisplayName string
	// UserID is the owner's identity id, a GUID as on Azure DevOps (the
	// official client cannot parse anything else; AddPAT panics on it). It
	// is shown in canonical lower-case form. Tokens of the same UserID
	// appear in one token list.
	UserID string
	// Email is the owner's account name (the "Account" property and the
	// second half of X-VSS-UserData).
	Email string
	// DisplayUser is the owner's display name (providerDisplayName).
	DisplayUser string
	// Scopes are the token's scopes, e.g. "vso.code_write", "vso.build";
	// "app_token" is full access. A scope grants the ones it includes
	// (vso.code_write grants vso.code), matched case-insensitively.
	Scopes []string
	// ValidTo is when the token expires: it is refused as expired once the
	// simulator's clock is after it. Azure DevOps PATs always expire, so
	// AddPAT panics on the zero time.
	ValidTo time.Time
	// Revoked makes the token unknown to every endpoint (TF400813), as a
	// revoked PAT is on Azure DevOps; the token list still shows it, not
	// valid.
	Revoked bool
	// DeniedAreas are scope families ("code", "build", "work", "packaging",
	// "release", "variablegroups", "serviceendpoint", "agentpools",
	// "graph") where the owner lacks the permission to read, whatever the
	// token's scopes: their endpoint answers 403 TF401027.
	DeniedAreas []string
}

// NewAzureDevOps returns an organization (collection) named org, the first
// path segment of every request, matched case-insensitively (the official
// client lower-cases the whole URL). It has no projects and no tokens, the
// token list and the scopes header are off, and its clock is time.Now. It
// panics when org is empty or contains a slash.
func NewAzureDevOps(org string) *AzureDevOps {
	if org == "" || strings.Contains(org, "/") {
		panic(fmt.Sprintf("simulate: NewAzureDevOps: %q is not an organization name", org))
	}
	return &AzureDevOps{
		org:      org,
		now:      time.Now,
		projects: map[string]string{},
		pats:     map[string]AzurePAT{},
	}
}

// SetLatency delays every response by d, for benchmarks and timeout tests. A
// request whose context ends while it waits gets no answer.
func (a *AzureDevOps) SetLatency(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.latency = d
}

// SetNow sets the simulator's clock, which decides whether a PAT has
// expired. nil restores time.Now.
func (a *AzureDevOps) SetNow(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.now = now
}

// AddProject creates a project. Project names are matched
// case-insensitively, as on Azure DevOps; a request naming a project that
// does not exist answers 404 VS800075. It panics when name is empty or
// contains a slash.
func (a *AzureDevOps) AddProject(name string) {
	if name == "" || strings.Contains(name, "/") {
		panic(fmt.Sprintf("simulate: AddProject: %q is not a project name", name))
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.projects[strings.ToLower(name)] = name
}

// AddPAT makes a token known, replacing any token with the same Value (which
// keeps its place in the token list). The slices are copied, so the caller
// may reuse them. It panics when Value is empty, UserID is not a GUID or
// ValidTo is the zero time: mistakes in a test's setup, not situations
// Azure DevOps can produce.
func (a *AzureDevOps) AddPAT(p AzurePAT) {
	if p.Value == "" {
		panic("simulate: AddPAT: Value is empty")
	}
	id, err := parseGUID(p.UserID)
	if err != nil {
		panic(fmt.Sprintf("simulate: AddPAT: UserID %q is not a GUID; Azure DevOps identity ids are, and the official client parses them as such", p.UserID))
	}
	if p.ValidTo.IsZero() {
		panic("simulate: AddPAT: ValidTo is the zero time; Azure DevOps PATs always expire")
	}
	p.UserID = id.String()
	p.Scopes = cloneStrings(p.Scopes)
	p.DeniedAreas = cloneStrings(p.DeniedAreas)
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.pats[p.Value]; !ok {
		a.patOrder = append(a.patOrder, p.Value)
	}
	a.pats[p.Value] = p
}

// SetScopesHeader makes connectionData answers for a valid PAT carry
// x-vss-token-scopes: the token's scopes as given, space-separated. Off by
// default: no primary source says connectionData sends it, so a client must
// work without it.
func (a *AzureDevOps) SetScopesHeader(on bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.scopesHeader = on
}

// SetTokenList makes the token list (GET _apis/Token/SessionTokens) answer
// 200 for a valid PAT. Off by default, because the scope the real endpoint
// needs is unconfirmed: off, it answers 401 with a JSON message (VS30063).
func (a *AzureDevOps) SetTokenList(on bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tokenList = on
}

// FailNext makes the next n requests, whatever their method, path or
// credentials, answer status (e.g. 500 or 503) with a JSON message, as a
// failing front door or backend would. It replaces any earlier FailNext;
// n <= 0 clears it. It panics unless status is in 400..599.
func (a *AzureDevOps) FailNext(n int, status int) {
	if status < 400 || status > 599 {
		panic(fmt.Sprintf("simulate: FailNext: status %d is not an error status", status))
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failN, a.failStatus = max(n, 0), status
}

// Requests returns a copy of the requests received so far, in arrival order,
// whatever their path.
func (a *AzureDevOps) Requests() []Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Request(nil), a.requests...)
}

// Violations lists, in arrival order, every request whose method is neither
// GET nor OPTIONS, whatever its path, credentials or answer: pat-check reads
// Azure DevOps and never needs another method (not even HEAD, which the
// official client never sends). Each entry reads "METHOD PATH: why". A
// client's tests should require it to be empty.
func (a *AzureDevOps) Violations() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.violations...)
}

// azureAnswer is a response decided under the lock and written outside it.
type azureAnswer struct {
	status      int
	header      http.Header
	contentType string // "" with an empty body
	body        []byte
}

// ServeHTTP answers one request: it records it (and its violation, if any),
// waits the configured latency, then answers in this order: faults, the
// anonymous discovery endpoints, the method, the credentials, the endpoint.
func (a *AzureDevOps) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.seq++
	seq := a.seq
	a.requests = a.record.keep(a.requests, Request{
		Method:        r.Method,
		Path:          r.URL.Path,
		RawQuery:      r.URL.RawQuery,
		Authorization: r.Header.Get("Authorization"),
		Time:          time.Now(),
	})
	body := ""
	if r.Method != http.MethodGet && r.Method != http.MethodOptions {
		raw, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
		body = string(raw)
		seg, _ := a.strip(r.URL.Path)
		if v := azureViolation(r.Method, seg, body); v != "" {
			a.violations = a.record.keepViolation(a.violations, fmt.Sprintf("%s %s: %s", r.Method, r.URL.Path, v))
		}
	}
	latency := a.latency
	a.mu.Unlock()

	if !waitLatency(r.Context(), latency) {
		return
	}

	a.mu.Lock()
	ans := a.decide(r)
	a.mu.Unlock()

	h := w.Header()
	for k, v := range ans.header {
		h[k] = v
	}
	h.Set("X-VSS-E2EID", azureGUID("e2e", strconv.FormatUint(seq, 10)))
	h.Set("ActivityId", azureGUID("activity", strconv.FormatUint(seq, 10)))
	if ans.contentType != "" {
		h.Set("Content-Type", ans.contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(ans.body)))
	w.WriteHeader(ans.status)
	w.Write(ans.body)
}

// decide chooses the response; a.mu is held.
func (a *AzureDevOps) decide(r *http.Request) azureAnswer {
	h := http.Header{}
	if a.failN > 0 {
		a.failN--
		return azureJSON(h, a.failStatus, azureError{ID: "1", Message: http.StatusText(a.failStatus)})
	}
	seg, ok := a.strip(r.URL.Path)
	if !ok {
		return azureNotFound(h, r.URL.Path)
	}
	switch {
	case r.Method == http.MethodOptions:
		// The official client's discovery: anonymous on Azure DevOps too.
		if azurePathIs(seg, "_apis") {
			return azureJSON(h, http.StatusOK, azureList{Count: len(azureLocations), Value: azureLocations})
		}
		return azureNotFound(h, r.URL.Path)
	case r.Method != http.MethodGet:
		if _, _, ok := azureWriteRoute(r.Method, seg); ok {
			break
		}
		h.Set("Allow", "GET, OPTIONS")
		return azureJSON(h, http.StatusMethodNotAllowed, azureError{ID: "1",
			Message: "The requested resource does not support http method '" + r.Method + "'."})
	case azurePathIs(seg, "_apis", "ResourceAreas"):
		// An empty list, as Azure DevOps Server sends: the official client
		// then keeps every area's requests on this one host.
		return azureJSON(h, http.StatusOK, azureList{Count: 0, Value: []any{}})
	}

	now := a.now()
	p, refused := a.authenticate(h, r, now)
	if refused != nil {
		return *refused
	}
	switch {
	case azurePathIs(seg, "_apis", "connectionData"):
		return a.connectionData(h, p)
	case azurePathIs(seg, "_apis", "Token", "SessionTokens"):
		return a.sessionTokens(h, r, p, now)
	}
	if w, id, ok := azureWriteRoute(r.Method, seg); ok && r.Method != http.MethodGet {
		return a.write(h, p, w, id)
	}
	if pr, project, ok := azureRoute(seg); ok {
		return a.probe(h, p, pr, project)
	}
	return azureNotFound(h, r.URL.Path)
}

// strip checks the organization segment and returns the path's segments
// below it; ok is false for a path outside the organization.
func (a *AzureDevOps) strip(path string) (seg []string, ok bool) {
	all := strings.Split(strings.Trim(path, "/"), "/")
	if !strings.EqualFold(all[0], a.org) {
		return nil, false
	}
	return all[1:], true
}

// azurePathIs reports whether seg is want, case-insensitively, as Azure
// DevOps routes are.
func azurePathIs(seg []string, want ...string) bool {
	if len(seg) != len(want) {
		return false
	}
	for i := range seg {
		if !strings.EqualFold(seg[i], want[i]) {
			return false
		}
	}
	return true
}

// authenticate finds the valid PAT of a request, or the answer that refuses
// it. An unknown or revoked PAT, or none, gets the sign-in page (203) unless
// the client asked for X-TFS-FedAuthRedirect: Suppress, as every API client
// should; an expired one gets 401 AccessCheckException either way.
func (a *AzureDevOps) authenticate(h http.Header, r *http.Request, now time.Time) (AzurePAT, *azureAnswer) {
	refuse := func(ans azureAnswer) (AzurePAT, *azureAnswer) { return AzurePAT{}, &ans }
	p, known := a.pats[azureCredential(r.Header.Get("Authorization"))]
	switch {
	case !known || p.Revoked:
		if !strings.EqualFold(r.Header.Get("X-TFS-FedAuthRedirect"), "Suppress") {
			return refuse(azureSignIn(h, r))
		}
		azureChallenge(h)
		return refuse(azureServiceError(h, http.StatusUnauthorized,
			"TF400813: The user '' is not authorized to access this resource.",
			"Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server",
			"UnauthorizedRequestException"))
	case now.After(p.ValidTo):
		azureChallenge(h)
		return refuse(azureServiceError(h, http.StatusUnauthorized,
			"Access Denied: The Personal Access Token used has expired.",
			"Microsoft.TeamFoundation.Framework.Server.AccessCheckException, Microsoft.TeamFoundation.Framework.Server",
			"AccessCheckException"))
	}
	return p, nil
}

// azureCredential extracts the PAT, the password of "Basic
// base64(user:PAT)"; the user name is ignored, as Azure DevOps ignores it.
// Anything else (another scheme, bad base64, no colon) gives "", which no
// PAT has.
func azureCredential(header string) string {
	scheme, value, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return ""
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(value))
	if err != nil {
		return ""
	}
	_, pat, ok := strings.Cut(string(raw), ":")
	if !ok {
		return ""
	}
	return pat
}

// azureChallenge adds the WWW-Authenticate challenges Azure DevOps sends
// with a 401.
func azureChallenge(h http.Header) {
	h.Add("WWW-Authenticate", "Bearer authorization_uri=https://login.microsoftonline.com/common")
	h.Add("WWW-Authenticate", `Basic realm="https://dev.azure.com/"`)
	h.Add("WWW-Authenticate", "TFS-Federated")
}

// azureSignIn is the answer to a request without valid credentials that did
// not suppress the sign-in redirect: 203 with an HTML page, which a careless
// client takes for success.
func azureSignIn(h http.Header, r *http.Request) azureAnswer {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	signIn := "https://app.vssps.visualstudio.com/_signin?realm=dev.azure.com&reply_to=" +
		url.QueryEscape(scheme+"://"+r.Host+r.URL.Path)
	h.Set("X-TFS-FedAuthRealm", "https://app.vssps.visualstudio.com/")
	h.Set("X-TFS-FedAuthRedirect", signIn)
	page := `<!DOCTYPE html>
<html lang="en-US">
<head><meta charset="utf-8"><title>Azure DevOps Services | Sign In</title></head>
<body>
<p>You need to sign in to continue to Azure DevOps.</p>
<p><a href="` + html.EscapeString(signIn) + `">Sign in</a></p>
</body>
</html>
`
	return azureAnswer{status: http.StatusNonAuthoritativeInfo, header: h,
		contentType: "text/html; charset=utf-8", body: []byte(page)}
}

// azureError is the shape of Azure DevOps' service exceptions, which the
// official client reads into azuredevops.WrappedError.
type azureError struct {
	ID             string      `json:"$id"`
	InnerException *azureError `json:"innerException"`
	Message        string      `json:"message"`
	TypeName       string      `json:"typeName,omitempty"`
	TypeKey        string      `json:"typeKey,omitempty"`
	ErrorCode      int         `json:"errorCode"`
	EventID        int         `json:"eventId"`
}

// azureList is Azure DevOps' collection wrapper.
type azureList struct {
	Count int `json:"count"`
	Value any `json:"value"`
}

func azureJSON(h http.Header, status int, v any) azureAnswer {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"$id":"1","innerException":null,"message":"Internal Server Error","errorCode":0,"eventId":0}`)
	}
	return azureAnswer{status: status, header: h, contentType: "application/json; charset=utf-8", body: body}
}

// azureServiceError answers a service exception, with the message also in
// X-TFS-ServiceError as Azure DevOps sends it.
func azureServiceError(h http.Header, status int, message, typeName, typeKey string) azureAnswer {
	h.Set("X-TFS-ServiceError", escapeDataString(message))
	return azureJSON(h, status, azureError{ID: "1", Message: message, TypeName: typeName, TypeKey: typeKey, EventID: 3000})
}

func azureNotFound(h http.Header, path string) azureAnswer {
	return azureJSON(h, http.StatusNotFound, azureError{ID: "1",
		Message:  "The controller for path '" + path + "' was not found or does not implement IController.",
		TypeName: "System.Web.HttpException, System.Web", TypeKey: "HttpException"})
}

// escapeDataString percent-encodes everything but RFC 3986's unreserved
// characters, as .NET's Uri.EscapeDataString does for X-TFS-ServiceError
// ("Access%20Denied%3A%20…"). url.PathEscape would leave ':' and url.QueryEscape
// would turn spaces into '+'.
func escapeDataString(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// guid is a GUID's 16 bytes in the order of its text form.
type guid [16]byte

// String is the canonical form, xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in
// lower case, as Azure DevOps writes ids.
func (g guid) String() string {
	h := hex.EncodeToString(g[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// parseGUID reads a GUID in the forms the official client's parser accepts:
// xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in either case, the same in braces
// or after urn:uuid:, or 32 hex digits.
func parseGUID(s string) (guid, error) {
	var g guid
	switch {
	case len(s) == 38 && s[0] == '{' && s[37] == '}':
		s = s[1:37]
	case len(s) == 45 && strings.EqualFold(s[:9], "urn:uuid:"):
		s = s[9:]
	}
	switch len(s) {
	case 36:
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return g, errors.New("invalid GUID format")
		}
		s = s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	case 32:
	default:
		return g, fmt.Errorf("invalid GUID length: %d", len(s))
	}
	if _, err := hex.Decode(g[:], []byte(s)); err != nil {
		return g, errors.New("invalid GUID format")
	}
	return g, nil
}

// azureNamespace roots the simulator's name-based GUIDs, so that ids are
// stable from run to run and never random.
var azureNamespace = guid{0x5f, 0x0c, 0x3a, 0x52, 0x8e, 0x59, 0x4d, 0x35, 0x9b, 0x1e, 0x7a, 0x4f, 0x1c, 0x2d, 0x6e, 0x80}

// azureGUID derives a stable GUID from a kind and a name: a name-based
// (version 5, SHA-1) UUID of RFC 9562 in azureNamespace.
func azureGUID(kind, name string) string {
	h := sha1.New()
	h.Write(azureNamespace[:])
	h.Write([]byte(kind + "\x00" + name))
	var g guid
	copy(g[:], h.Sum(nil))
	g[6] = g[6]&0x0f | 0x50 // version 5
	g[8] = g[8]&0x3f | 0x80 // the RFC's variant
	return g.String()
}

func (a *AzureDevOps) instanceID() string { return azureGUID("instance", strings.ToLower(a.org)) }

// azureTyped is a .NET property value as connectionData carries it.
type azureTyped struct {
	Type  string `json:"$type"`
	Value string `json:"$value"`
}

type azureIdentity struct {
	ID                  string                `json:"id"`
	Descriptor          string                `json:"descriptor"`
	SubjectDescriptor   string                `json:"subjectDescriptor"`
	ProviderDisplayName string                `json:"providerDisplayName"`
	IsActive            bool                  `json:"isActive"`
	Properties          map[string]azureTyped `json:"properties"`
	ResourceVersion     int                   `json:"resourceVersion"`
	MetaTypeID          int                   `json:"metaTypeId"`
}

type azureLocationServiceData struct {
	ServiceOwner                string `json:"serviceOwner"`
	DefaultAccessMappingMoniker string `json:"defaultAccessMappingMoniker"`
	LastChangeID                int    `json:"lastChangeId"`
	LastChangeID64              int    `json:"lastChangeId64"`
}

// azureTenant is the directory every simulated user belongs to.
const azureTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47"

func (a *AzureDevOps) connectionData(h http.Header, p AzurePAT) azureAnswer {
	user := azureIdentity{
		ID:                  p.UserID,
		Descriptor:          "Microsoft.IdentityModel.Claims.ClaimsIdentity;" + azureTenant + `\` + p.Email,
		SubjectDescriptor:   "aad." + base64.RawURLEncoding.EncodeToString([]byte(azureGUID("subject", p.UserID))),
		ProviderDisplayName: p.DisplayUser,
		IsActive:            true,
		Properties:          map[string]azureTyped{"Account": {"System.String", p.Email}},
		ResourceVersion:     2,
	}
	h.Set("X-VSS-UserData", p.UserID+":"+p.Email)
	if a.scopesHeader {
		h.Set("X-VSS-Token-Scopes", strings.Join(p.Scopes, " "))
	}
	return azureJSON(h, http.StatusOK, struct {
		AuthenticatedUser   azureIdentity            `json:"authenticatedUser"`
		AuthorizedUser      azureIdentity            `json:"authorizedUser"`
		InstanceID          string                   `json:"instanceId"`
		DeploymentID        string                   `json:"deploymentId"`
		DeploymentType      string                   `json:"deploymentType"`
		LocationServiceData azureLocationServiceData `json:"locationServiceData"`
	}{user, user, a.instanceID(), azureGUID("deployment", strings.ToLower(a.org)), "hosted",
		azureLocationServiceData{
			ServiceOwner:                "00025394-6065-48ca-87d9-7f5672854ef7", // Azure DevOps (TFS)
			DefaultAccessMappingMoniker: "PublicAccessMapping",
			LastChangeID:                1,
			LastChangeID64:              1,
		}})
}

// azureSessionToken is one entry of the token list. Token and
// AlternateToken are always null: the list never shows a secret.
type azureSessionToken struct {
	ClientID            string   `json:"clientId"`
	AccessID            string   `json:"accessId"`
	AuthorizationID     string   `json:"authorizationId"`
	HostAuthorizationID string   `json:"hostAuthorizationId"`
	UserID              string   `json:"userId"`
	ValidFrom           string   `json:"validFrom"`
	ValidTo             string   `json:"validTo"`
	DisplayName         string   `json:"displayName"`
	Scope               string   `json:"scope"`
	TargetAccounts      []string `json:"targetAccounts"`
	Token               *string  `json:"token"`
	AlternateToken      *string  `json:"alternateToken"`
	IsValid             bool     `json:"isValid"`
	IsPublic            bool     `json:"isPublic"`
	PublicData          *string  `json:"publicData"`
	Source              *string  `json:"source"`
	Claims              *string  `json:"claims"`
}

// azureTimeLayout is how Azure DevOps writes times: UTC, up to seven
// fractional digits, trailing zeros dropped.
const azureTimeLayout = "2006-01-02T15:04:05.9999999Z"

// sessionTokens lists every PAT of the caller's user, in the order they were
// added, expired and revoked ones included. validFrom, which AzurePAT does
// not hold, is shown 30 days before ValidTo.
func (a *AzureDevOps) sessionTokens(h http.Header, r *http.Request, p AzurePAT, now time.Time) azureAnswer {
	if !a.tokenList {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		azureChallenge(h)
		return azureServiceError(h, http.StatusUnauthorized,
			"VS30063: You are not authorized to access "+scheme+"://"+r.Host+".",
			"Microsoft.VisualStudio.Services.WebApi.VssUnauthorizedException, Microsoft.VisualStudio.Services.WebApi",
			"VssUnauthorizedException")
	}
	list := []azureSessionToken{}
	for i, value := range a.patOrder {
		t := a.pats[value]
		if t.UserID != p.UserID {
			continue
		}
		n := strings.ToLower(a.org) + "/" + strconv.Itoa(i) // never the secret
		list = append(list, azureSessionToken{
			ClientID:            "00000000-0000-0000-0000-000000000000",
			AccessID:            azureGUID("access", n),
			AuthorizationID:     azureGUID("authorization", n),
			HostAuthorizationID: azureGUID("hostauthorization", n),
			UserID:              t.UserID,
			ValidFrom:           t.ValidTo.AddDate(0, 0, -30).UTC().Format(azureTimeLayout),
			ValidTo:             t.ValidTo.UTC().Format(azureTimeLayout),
			DisplayName:         t.DisplayName,
			Scope:               strings.Join(t.Scopes, " "),
			TargetAccounts:      []string{a.instanceID()},
			IsValid:             !t.Revoked && !now.After(t.ValidTo),
		})
	}
	h.Set("X-VSS-UserData", p.UserID+":"+p.Email)
	return azureJSON(h, http.StatusOK, azureList{Count: len(list), Value: list})
}

// azureScopeGrants reports whether the scopes held include need, following
// the docs' inclusion chains (platformdata, "Inherits From"): the same data
// pat-check reads, so the two cannot disagree. app_token includes everything.
func azureScopeGrants(held []string, need string) bool {
	for _, s := range held {
		if strings.EqualFold(s, "app_token") || strings.EqualFold(s, need) {
			return true
		}
		if indexFold(azureIncluded(strings.ToLower(s)), need) >= 0 {
			return true
		}
	}
	return false
}

// azureIncluded is every scope a scope includes, per the docs' table.
func azureIncluded(scope string) []string {
	direct := map[string][]string{}
	for _, s := range platformdata.AzureScopes() {
		direct[s.Scope] = s.Includes
	}
	var out []string
	var walk func(string)
	walk = func(s string) {
		for _, inc := range direct[s] {
			if indexFold(out, inc) < 0 {
				out = append(out, inc)
				walk(inc)
			}
		}
	}
	walk(scope)
	return out
}

func indexFold(list []string, s string) int {
	for i, v := range list {
		if strings.EqualFold(v, s) {
			return i
		}
	}
	return -1
}

// azureProbe is a read endpoint that needs one scope.
type azureProbe struct {
	family string    // its DeniedAreas name
	scope  string    // the read scope it needs
	path   [2]string // below _apis
	// where it is routed: below /{org}/_apis, below /{org}/{project}/_apis
	orgLevel, projectLevel bool
	// the TF401027 wording: security namespace, permission, scope
	namespace, permission, target string
}

var azureProbes = []azureProbe{
	{"code", "vso.code", [2]string{"git", "repositories"}, true, true, "Git", "GenericRead", "repository"},
	{"build", "vso.build", [2]string{"build", "builds"}, false, true, "Build", "ViewBuilds", "build"},
	{"work", "vso.work", [2]string{"wit", "workitemtypes"}, false, true, "CSS", "GENERIC_READ", "area"},
	{"variablegroups", "vso.variablegroups_read", [2]string{"distributedtask", "variablegroups"}, false, true, "Library", "View", "library"},
	{"serviceendpoint", "vso.serviceendpoint", [2]string{"serviceendpoint", "endpoints"}, false, true, "ServiceEndpoints", "View", "serviceendpoint"},
	{"agentpools", "vso.agentpools", [2]string{"distributedtask", "pools"}, true, false, "DistributedTask", "View", "agentpool"},
	{"packaging", "vso.packaging", [2]string{"packaging", "feeds"}, true, true, "Packaging", "ReadPackages", "feed"},
	{"release", "vso.release", [2]string{"release", "definitions"}, false, true, "ReleaseManagement", "ViewReleaseDefinition", "releasedefinition"},
	{"graph", "vso.graph", [2]string{"graph", "users"}, true, false, "Graph", "Read", "graph"},
}

// azureWrite is a write endpoint gated by one scope. The simulator has no
// repository, build or work item, so it answers 404 to a token holding the
// scope; violate says what the request could change on a real organization.
type azureWrite struct {
	method, scope string
	// path below _apis; "*" is the id.
	path         []string
	projectLevel bool
	orgLevel     bool
	// impossible is the one id that cannot exist; empty the bodies that
	// change nothing.
	impossible string
	empty      []string
	message    string
}

var azureWrites = []azureWrite{
	{"POST", "vso.code_write", []string{"git", "repositories", "*", "refs"}, true, true, "00000000-0000-0000-0000-000000000000", []string{"[]"},
		"TF401019: The Git repository with name or identifier %s does not exist or you do not have permissions for the operation you are attempting."},
	{"PATCH", "vso.build_execute", []string{"build", "builds", "*"}, true, false, "0", []string{"{}"},
		"TF215016: The requested build %s could not be found."},
	{"PATCH", "vso.work_write", []string{"wit", "workitems", "*"}, true, true, "0", []string{"[]"},
		"TF401232: Work item %s does not exist, or you do not have permissions to read it."},
}

// azureWriteRoute finds the write endpoint of a request, its id and project.
func azureWriteRoute(method string, seg []string) (azureWrite, string, bool) {
	if len(seg) > 0 && !strings.EqualFold(seg[0], "_apis") {
		seg = seg[1:]
	}
	if len(seg) < 2 || !strings.EqualFold(seg[0], "_apis") {
		return azureWrite{}, "", false
	}
	for _, w := range azureWrites {
		if w.method != method || len(w.path) != len(seg)-1 {
			continue
		}
		id, ok := "", true
		for i, p := range w.path {
			switch {
			case p == "*":
				id = seg[i+1]
			case !strings.EqualFold(p, seg[i+1]):
				ok = false
			}
		}
		if ok {
			return w, id, true
		}
	}
	return azureWrite{}, "", false
}

// azureViolation is what a non-GET request could change on a real
// organization, or "": only a known write aimed at the id that cannot
// exist, with a body that changes nothing, is harmless.
func azureViolation(method string, seg []string, body string) string {
	w, id, ok := azureWriteRoute(method, seg)
	switch {
	case !ok:
		return "pat-check only reads Azure DevOps (GET, OPTIONS for discovery, and writes aimed at an id that cannot exist); this request could change something"
	case !strings.EqualFold(id, w.impossible):
		return fmt.Sprintf("%q could name a real resource, which this would change", id)
	case !slices.Contains(w.empty, strings.TrimSpace(body)):
		return fmt.Sprintf("the body %q could change %s wherever it exists", body, id)
	}
	return ""
}

// write answers a write endpoint: the scope first (a plain 401), then the
// id, which does not exist (404).
func (a *AzureDevOps) write(h http.Header, p AzurePAT, w azureWrite, id string) azureAnswer {
	if !azureScopeGrants(p.Scopes, w.scope) {
		azureChallenge(h)
		return azureAnswer{status: http.StatusUnauthorized, header: h}
	}
	h.Set("X-VSS-UserData", p.UserID+":"+p.Email)
	return azureServiceError(h, http.StatusNotFound, fmt.Sprintf(w.message, id),
		"Microsoft.TeamFoundation.Framework.Server.NotFoundException, Microsoft.TeamFoundation.Framework.Server", "NotFoundException")
}

// azureRoute finds the probe a path names, and its project ("" at the
// organization level).
func azureRoute(seg []string) (azureProbe, string, bool) {
	project := ""
	if len(seg) > 0 && !strings.EqualFold(seg[0], "_apis") {
		project, seg = seg[0], seg[1:]
	}
	if len(seg) != 3 || !strings.EqualFold(seg[0], "_apis") {
		return azureProbe{}, "", false
	}
	for _, pr := range azureProbes {
		level := pr.orgLevel
		if project != "" {
			level = pr.projectLevel
		}
		if level && azurePathIs(seg[1:], pr.path[0], pr.path[1]) {
			return pr, project, true
		}
	}
	return azureProbe{}, "", false
}

// probe answers a read endpoint in Azure DevOps' order: the token's scope
// (a plain 401 with an empty body, as the real service sends), the project
// (404 VS800075), the user's permission (403 TF401027), then an empty list.
func (a *AzureDevOps) probe(h http.Header, p AzurePAT, pr azureProbe, project string) azureAnswer {
	if !azureScopeGrants(p.Scopes, pr.scope) {
		azureChallenge(h)
		return azureAnswer{status: http.StatusUnauthorized, header: h}
	}
	h.Set("X-VSS-UserData", p.UserID+":"+p.Email)
	if project != "" {
		if _, ok := a.projects[strings.ToLower(project)]; !ok {
			return azureServiceError(h, http.StatusNotFound,
				"VS800075: The project with id 'vstfs:///Classification/TeamProject/"+project+
					"' does not exist, or you do not have permission to access it.",
				"Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, Microsoft.TeamFoundation.Core.WebApi",
				"ProjectDoesNotExistWithNameException")
		}
	}
	if containsFold(p.DeniedAreas, pr.family) {
		who := p.DisplayUser
		if who == "" {
			who = p.Email
		}
		return azureServiceError(h, http.StatusForbidden,
			fmt.Sprintf("TF401027: You need the %s '%s' permission to perform this action. Details: identity '%s', scope '%s'.",
				pr.namespace, pr.permission, who, pr.target),
			"Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, Microsoft.TeamFoundation.Framework.Server",
			"UnauthorizedRequestException")
	}
	return azureJSON(h, http.StatusOK, azureList{Count: 0, Value: []any{}})
}

// azureLocation is an ApiResourceLocation, as OPTIONS /{org}/_apis lists it.
type azureLocation struct {
	ID              string `json:"id"`
	Area            string `json:"area"`
	ResourceName    string `json:"resourceName"`
	RouteTemplate   string `json:"routeTemplate"`
	ResourceVersion int    `json:"resourceVersion"`
	MinVersion      string `json:"minVersion"`
	MaxVersion      string `json:"maxVersion"`
	ReleasedVersion string `json:"releasedVersion"`
}

// azureLocations are the resource locations the simulator serves: the
// location service's own, and one per probe, with the ids the official
// client's typed methods use, so that those work too. On dev.azure.com the
// feeds, release and graph locations belong to their own hosts; here one
// host stands for all. The resource versions are those the typed methods
// ask for, so that the client's version negotiation keeps its request.
var azureLocations = []azureLocation{
	{"00d9565f-ed9c-4a06-9a50-00e7896ccab4", "Location", "ConnectionData", "_apis/{resource}", 1, "1.0", "7.1", "0.0"},
	{"e81700f7-3be2-46de-8624-2eb35882fcaa", "Location", "ResourceAreas", "_apis/{resource}/{areaId}", 1, "1.0", "7.1", "0.0"},
	{"225f7195-f9c7-4d14-ab28-a83f7ff77e1f", "git", "repositories", "{project}/_apis/{area}/{resource}/{repositoryId}", 1, "1.0", "7.1", "7.1"},
	{"0cd358e1-9217-4d94-8269-1c1ee6f93dcf", "build", "builds", "{project}/_apis/{area}/{resource}/{buildId}", 7, "1.0", "7.1", "7.1"},
	{"7c8d7a76-4a09-43e8-b5df-bd792f4ac6aa", "wit", "workItemTypes", "{project}/_apis/{area}/{resource}/{type}", 2, "1.0", "7.1", "7.1"},
	{"f5b09dd5-9d54-45a1-8b5a-1c8287d634cc", "distributedtask", "variablegroups", "{project}/_apis/{area}/{resource}/{groupId}", 2, "1.0", "7.1", "7.1"},
	{"e85f1c62-adfc-4b74-b618-11a150fb195e", "serviceendpoint", "endpoints", "{project}/_apis/{area}/{resource}/{endpointId}", 4, "1.0", "7.1", "7.1"},
	{"a8c47e17-4d56-4a56-92bb-de7ea7dc65be", "distributedtask", "pools", "_apis/{area}/{resource}/{poolId}", 1, "1.0", "7.1", "7.1"},
	{"c65009a7-474a-4ad1-8b42-7d852107ef8c", "Packaging", "Feeds", "{project}/_apis/{area}/{resource}/{feedId}", 1, "1.0", "7.1", "7.1"},
	{"d8f96f24-8ea7-4cb6-baab-2df8fc515665", "Release", "definitions", "{project}/_apis/{area}/{resource}/{definitionId}", 4, "1.0", "7.1", "7.1"},
	{"005e26ec-6b77-4e4f-a986-b3827bf241f5", "Graph", "Users", "_apis/{area}/{resource}/{subjectDescriptor}", 1, "1.0", "7.1", "7.1"},
}
