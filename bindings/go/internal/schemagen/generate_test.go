package schemagen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A small schema with every shape the generator knows: integer ranges (an
// int64 past 32 bits), "allowed", "empty_string": "off" (on a key of
// plainStrings too), a bool, and a list with attributes; and the keys the
// hand-written code names (region, project_id: Config.ForRegion).
const shapes = `{
  "abi_version": 1,
  "config": [
    {"name": "endpoint", "type": "string", "env": "GES_ENDPOINT", "default": null, "sensitive": false, "description": "Base URL."},
    {"name": "region", "type": "string", "env": "HW_REGION_NAME", "default": null, "sensitive": false, "description": "Region."},
    {"name": "project_id", "type": "string", "env": ["HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"], "default": null, "sensitive": false, "empty_string": "off", "description": "Project."},
    {"name": "secret_key", "type": "string", "env": "HW_SECRET_KEY", "default": null, "sensitive": true, "description": "SK."},
    {"name": "signing_algorithm", "type": "string", "env": "HW_SIGNING_ALGORITHM", "default": "HmacSHA256", "sensitive": false, "allowed": ["HmacSHA256", "HmacSM3"], "description": "Signer."},
    {"name": "timeout_ms", "type": "integer", "env": null, "default": 30000, "sensitive": false, "minimum": 1, "maximum": 3600000, "description": "Timeout."},
    {"name": "max_listing_bytes", "type": "integer", "env": null, "default": 1073741824, "sensitive": false, "minimum": 1, "maximum": 17179869184, "description": "Bound."},
    {"name": "insecure", "type": "bool", "env": "HW_INSECURE", "default": false, "sensitive": false, "description": "Skip TLS checks."},
    {"name": "proxy", "type": "string", "env": "HTTPS_PROXY", "default": null, "sensitive": true, "empty_string": "off", "description": "Proxy URL."},
    {"name": "id_token", "type": "string", "env": null, "default": null, "sensitive": true, "description": "OIDC token."},
    {"name": "idp_id", "type": "string", "env": "HUAWEICLOUD_SDK_IDP_ID", "default": null, "sensitive": false, "description": "IdP."},
    {"name": "assume_role", "type": "list", "env": "HW_ASSUME_ROLE_AGENCY_NAME", "default": null, "sensitive": false, "description": "Agencies.",
     "attributes": [
       {"name": "agency_name", "type": "string", "description": "Agency."},
       {"name": "domain_id", "type": "string", "description": "Domain id."},
       {"name": "duration", "type": "integer", "minimum": 900, "maximum": 43200, "description": "Seconds."}
     ]}
  ],
  "query": [
    {"name": "graph_id", "type": "string", "description": "Graph."},
    {"name": "status", "type": "string", "allowed": ["backing_up", "success", "failed"], "description": "Status."},
    {"name": "most_recent", "type": "bool", "description": "Newest only."},
    {"name": "offset", "type": "integer", "description": "Offset."},
    {"name": "deadline_ms", "type": "integer", "description": "Budget."}
  ],
  "result": [
    {"name": "id", "type": "string", "description": "Id."},
    {"name": "backups", "type": "list", "description": "Backups.", "attributes": [
      {"name": "id", "type": "string", "description": "Backup ID."},
      {"name": "graph_id", "type": "string", "description": "Graph."},
      {"name": "start_timestamp", "type": "integer", "description": "Start."},
      {"name": "encrypted", "type": "bool", "description": "Encrypted."}
    ]}
  ]
}`

func TestEveryShape(t *testing.T) {
	code, err := Generate([]byte(shapes))
	if err != nil {
		t.Fatal(err)
	}
	src := flat(string(code))
	for _, want := range []string{
		"Endpoint string `json:\"endpoint,omitempty\"`",
		"ProjectID string `json:\"project_id,omitempty\"`",
		"projectIDOff bool",
		`out = appendPlainOff(out, "ProjectID", "project_id", c.ProjectID, c.projectIDOff, "looked up in IAM", shown, reveal)`,
		`visit("project_id", c.ProjectID)`,
		"environment HW_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID",
		"SigningAlgorithm string `json:\"signing_algorithm,omitempty\"`",
		`One of "HmacSHA256", "HmacSM3".`,
		"TimeoutMs *int `json:\"timeout_ms,omitempty\"`",
		"range 1 to 3600000",
		"MaxListingBytes *int64 `json:\"max_listing_bytes,omitempty\"`",
		"Insecure *bool `json:\"insecure,omitempty\"`",
		"Proxy *string `json:\"proxy,omitempty\"`",
		"IDToken string `json:\"id_token,omitempty\"`",
		"IdpID string `json:\"idp_id,omitempty\"`",
		"AssumeRole []AssumeRole `json:\"assume_role,omitempty\"`",
		"type AssumeRole struct {",
		"AgencyName string `json:\"agency_name,omitempty\"`",
		"DomainID string `json:\"domain_id,omitempty\"`",
		"Duration *int `json:\"duration,omitempty\"`",
		"Logger *slog.Logger `json:\"-\"`",
		`out = appendString(out, "SecretKey", "secret_key", c.SecretKey, hidden, reveal)`,
		`out = appendString(out, "IDToken", "id_token", c.IDToken, hidden, reveal)`,
		`out = appendStringPtr(out, "Proxy", "proxy", c.Proxy, urlShown, reveal)`,
		`out = appendString(out, "Endpoint", "endpoint", c.Endpoint, urlShown, reveal)`,
		`out = appendValue(out, "MaxListingBytes", "max_listing_bytes", c.MaxListingBytes)`,
		`out = appendValue(out, "Insecure", "insecure", c.Insecure)`,
		`elems[i] = e.fields(reveal)`,
		`func (e AssumeRole) fields(reveal bool) []configField {`,
		`visit("assume_role", e.AgencyName)`,
		"visit(\"proxy\", *c.Proxy)",
		"type Query struct {",
		"GraphID string `json:\"graph_id,omitempty\"`",
		`Status string ` + "`json:\"status,omitempty\"`",
		`One of "backing_up", "success", "failed".`,
		"MostRecent bool `json:\"most_recent,omitempty\"`",
		"Offset *int `json:\"offset,omitempty\"`",
		`visit("graph_id", q.GraphID)`,
		`visit("status", q.Status)`,
		"ID string `json:\"id\"`",
		"GraphID string `json:\"graph_id\"`",
		"StartTimestamp int64 `json:\"start_timestamp\"`",
		"Encrypted *bool `json:\"encrypted\"`",
		"graph_id *byte",
		"encrypted int8",
		"o.GraphID = s.repeated(0, b.graph_id)",
		"o.ID = s.unique(b.id)",
		"o.Encrypted = s.flag(b.encrypted)",
		"const repeatedFields = 1",
	} {
		if !strings.Contains(src, flat(want)) {
			t.Errorf("the generated code lacks %q", want)
		}
	}
	if strings.Contains(src, "DeadlineMs") {
		t.Error("deadline_ms, the context's, is a field of Query")
	}
	if t.Failed() {
		t.Log(string(code))
	}
}

// flat is Go source with comments joined across lines and every run of
// white space one space, so that gofmt's alignment and the comments'
// wrapping do not matter.
func flat(src string) string {
	src = strings.NewReplacer("\n\t// ", " ", "\n// ", " ").Replace(src)
	return strings.Join(strings.Fields(src), " ")
}

// "empty_string": "off" makes a *string, but for the keys the contract fixes
// as plain strings (project_id), which get an unexported twin that sends
// their "" instead.
func TestEmptyStringOff(t *testing.T) {
	code, err := Generate([]byte(shapes))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Proxy *string", "ProjectID string", "projectIDOff bool"} {
		if !strings.Contains(string(code), want) {
			t.Errorf("the generated code lacks %q", want)
		}
	}
	without := strings.NewReplacer(`"empty_string": "off", "description": "Proxy URL."`, `"description": "Proxy URL."`,
		`"empty_string": "off", "description": "Project."`, `"description": "Project."`).Replace(shapes)
	code, err = Generate([]byte(without))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(code), "Proxy string") {
		t.Error("proxy is a *string without empty_string")
	}
	if !strings.Contains(string(code), "ProjectID string") || strings.Contains(string(code), "projectIDOff") {
		t.Error("project_id without empty_string is not a plain string without twin")
	}
}

// A shape the generator does not know is an error, never a silent gap.
func TestUnknownShapes(t *testing.T) {
	for name, schema := range map[string]string{
		"a float key":        strings.Replace(shapes, `"name": "timeout_ms", "type": "integer"`, `"name": "timeout_ms", "type": "float"`, 1),
		"a float attribute":  strings.Replace(shapes, `{"name": "start_timestamp", "type": "integer"`, `{"name": "start_timestamp", "type": "float"`, 1),
		"empty_string other": strings.Replace(shapes, `"empty_string": "off"`, `"empty_string": "default"`, 1),
		"no backups":         strings.Replace(shapes, `"name": "backups"`, `"name": "items"`, 1),
		"not JSON":           shapes[1:],
	} {
		if _, err := Generate([]byte(schema)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestGoName(t *testing.T) {
	for snake, want := range map[string]string{
		"project_id": "ProjectID", "iam_endpoint": "IAMEndpoint", "api_version": "APIVersion", "ca_file": "CAFile",
		"idp_id": "IdpID", "id_token_file": "IDTokenFile", "timeout_ms": "TimeoutMs", "graph_size_type_index": "GraphSizeTypeIndex",
		"max_listing_bytes": "MaxListingBytes", "user_agent": "UserAgent",
	} {
		if got := goName(snake); got != want {
			t.Errorf("goName(%q) = %q, want %q", snake, got, want)
		}
	}
}

// The code generated for every shape compiles with the package's
// hand-written files (those of the package directory but the generated one
// and the tests), without cgo and with go vet's checks.
func TestEveryShapeCompiles(t *testing.T) {
	code, err := Generate([]byte(shapes))
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join(pkg, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	copied := 0
	for _, f := range append(files, filepath.Join(pkg, "go.mod"), filepath.Join(pkg, "go.sum")) {
		base := filepath.Base(f)
		if strings.HasSuffix(base, "_test.go") || base == "schema_gen.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, base), b, 0o600); err != nil {
			t.Fatal(err)
		}
		copied++
	}
	if err := os.WriteFile(filepath.Join(dir, "schema_gen.go"), code, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "vet", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet of the package with the code of every shape (%d files): %v\n%s", copied, err, out)
	}
}
