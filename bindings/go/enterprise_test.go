package gesbackups_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// The credentials of contract 1.2 through the Go package, against the
// emulator's IAM and STS: an IAM password, agencies (assume_role), OIDC
// federation, and ForRegion's project lookup.

const (
	rootAK          = "AK-GO-ROOT"
	rootSK          = "sk-go-root-not-a-real-secret"
	enterpriseCount = 25
)

// cloudEmulator is an emulator of enterpriseCount backups that wants
// signatures made with rootAK/rootSK, with IAM configured by iam (POST
// /__emulator/cloud/iam).
func cloudEmulator(t *testing.T, iam map[string]any, args ...string) *emulatortest.Emulator {
	t.Helper()
	e := emulatortest.Start(t, append([]string{"--access-key", rootAK, "--secret-key", rootSK,
		"--backups", "25"}, args...)...)
	e.Control(t, "POST", "cloud/iam", iam, nil)
	return e
}

// isolated is a Config for e's GES and IAM with no credentials, and no
// source of them beyond itself: empty profile and credentials files, no
// metadata service. No retries: a failure shows at once.
func isolated(t *testing.T, e *emulatortest.Emulator) gesbackups.Config {
	t.Helper()
	dir := t.TempDir()
	profile, credentials := filepath.Join(dir, "config.json"), filepath.Join(dir, "credentials")
	if err := os.WriteFile(profile, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(credentials, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return gesbackups.Config{Endpoint: e.URL, IAMEndpoint: e.URL, ProjectID: testProject,
		SharedConfigFile: profile, CredentialsFile: credentials, MetadataEndpoint: ptr(""), MaxRetries: ptr(0)}
}

// listAll lists every backup with cfg, failing the test unless it gets
// enterpriseCount of them.
func listAll(t *testing.T, cfg gesbackups.Config) {
	t.Helper()
	got, err := newClient(t, cfg).ListBackups(context.Background(), gesbackups.Query{})
	if err != nil {
		t.Fatalf("ListBackups with %v: %v", cfg, err)
	}
	if len(got.Backups) != enterpriseCount {
		t.Fatalf("ListBackups with %v: %d backups, want %d", cfg, len(got.Backups), enterpriseCount)
	}
}

// apiError asserts err is an API error of that status and code.
func apiError(t *testing.T, err error, status int, code string) *gesbackups.Error {
	t.Helper()
	e := asError(t, err, gesbackups.KindAPI)
	if e.HTTPStatus != status || e.Code != code {
		t.Fatalf("want HTTP %d %s, got %d %q: %v", status, code, e.HTTPStatus, e.Code, err)
	}
	return e
}

func counter(t *testing.T, e *emulatortest.Emulator, name string) int64 {
	t.Helper()
	n, ok := e.CloudCounters(t)[name]
	if !ok {
		t.Fatalf("the emulator has no counter %q", name)
	}
	return n
}

// An IAM user's password gets a token (POST /v3/auth/tokens) that lists;
// a wrong one is IAM's 401, whose message holds no password.
func TestPasswordLists(t *testing.T) {
	const password = "alice-password-not-a-real-one"
	e := cloudEmulator(t, map[string]any{"users": []map[string]any{
		{"domain_name": "acme", "name": "alice", "password": password}}})
	cfg := isolated(t, e)
	cfg.UserName, cfg.Password, cfg.DomainName = "alice", password, "acme"
	listAll(t, cfg)
	if n := counter(t, e, "password_token_requests"); n != 1 {
		t.Errorf("password_token_requests = %d, want 1", n)
	}
	if s := cfg.String(); strings.Contains(s, password) || !strings.Contains(s, `Password:"REDACTED"`) {
		t.Errorf("String shows the password, or not that it is set: %s", s)
	}

	cfg.Password = "wrong-" + password
	_, err := newClient(t, cfg).ListBackups(context.Background(), gesbackups.Query{})
	e401 := asError(t, err, gesbackups.KindAPI)
	if e401.HTTPStatus != 401 || strings.Contains(err.Error(), password) {
		t.Errorf("a wrong password: want IAM's 401 without the password, got %v", err)
	}
}

// agencies: ops may be assumed with the root keys (by name, and by account
// id through STS), audit only with ops' credentials, federated by the
// OIDC provider github's users.
var agencies = map[string]any{"agencies": []map[string]any{
	{"domain_name": "acme", "domain_id": "d-acme", "name": "ops", "assumable_by": []string{rootAK}},
	{"domain_name": "acme", "name": "audit", "assumable_by": []string{"agency:acme/ops"}},
	{"domain_name": "acme", "name": "federated", "assumable_by": []string{"idp:github"}},
}}

// Config.AssumeRole exchanges the keys for an agency's temporary ones (IAM
// by account name, STS by account id), in a chain in order; an agency the
// keys may not assume is IAM's 403.
func TestAssumeRoleLists(t *testing.T) {
	e := cloudEmulator(t, agencies)
	keys := isolated(t, e)
	keys.AccessKey, keys.SecretKey = rootAK, rootSK

	one := keys
	one.AssumeRole = []gesbackups.AssumeRole{{AgencyName: "ops", DomainName: "acme", Duration: ptr(900)}}
	listAll(t, one)
	if n := counter(t, e, "assume_role_requests"); n != 1 {
		t.Errorf("assume_role_requests = %d after one agency, want 1", n)
	}

	chain := keys
	chain.AssumeRole = []gesbackups.AssumeRole{{AgencyName: "ops", DomainName: "acme"}, {AgencyName: "audit", DomainName: "acme"}}
	listAll(t, chain)
	if n := counter(t, e, "assume_role_requests"); n != 3 {
		t.Errorf("assume_role_requests = %d after a chain of two, want 3", n)
	}

	byID := keys
	byID.AssumeRole = []gesbackups.AssumeRole{{AgencyName: "ops", DomainID: "d-acme"}}
	listAll(t, byID)
	if n := counter(t, e, "sts_assume_requests"); n != 1 {
		t.Errorf("sts_assume_requests = %d after an agency by account id, want 1", n)
	}

	wrong := keys
	wrong.AssumeRole = []gesbackups.AssumeRole{{AgencyName: "audit", DomainName: "acme"}}
	_, err := newClient(t, wrong).ListBackups(context.Background(), gesbackups.Query{})
	apiError(t, err, 403, "IAM.0002")
}

// OIDC federation: the ID token (from IDTokenFile, or IDToken) of the
// identity provider IdpID is exchanged for an IAM token, then temporary
// credentials, which list; with AssumeRole, an agency is assumed with them.
func TestOIDCLists(t *testing.T) {
	const fileToken, givenToken = "id-token-from-the-file", "id-token-given-inline"
	iam := map[string]any{"identity_providers": map[string]any{"github": []string{fileToken, givenToken}}}
	for k, v := range agencies {
		iam[k] = v
	}
	e := cloudEmulator(t, iam)
	tokenFile := filepath.Join(t.TempDir(), "id-token")
	if err := os.WriteFile(tokenFile, []byte(fileToken), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := isolated(t, e)
	cfg.IdpID, cfg.IDTokenFile = "github", tokenFile
	listAll(t, cfg)
	counts := e.CloudCounters(t)
	if counts["id_token_requests"] != 1 || counts["token_credential_requests"] != 1 {
		t.Errorf("want one ID token exchange and one credentials request, got %v", counts)
	}

	withAgency := cfg
	withAgency.AssumeRole = []gesbackups.AssumeRole{{AgencyName: "federated", DomainName: "acme"}}
	listAll(t, withAgency)
	if n := counter(t, e, "assume_role_requests"); n != 1 {
		t.Errorf("assume_role_requests = %d, want 1", n)
	}

	inline := cfg
	inline.IDTokenFile, inline.IDToken = "", givenToken
	listAll(t, inline)
	var stats struct {
		IDTokens []string `json:"id_tokens"`
	}
	e.Control(t, "GET", "cloud/stats", nil, &stats)
	if want := []string{fileToken, fileToken, givenToken}; !slices.Equal(stats.IDTokens, want) {
		t.Errorf("IAM was shown the ID tokens %q, want %q", stats.IDTokens, want)
	}
	if s := inline.String(); strings.Contains(s, givenToken) || !strings.Contains(s, `IDToken:"REDACTED"`) {
		t.Errorf("String shows the ID token, or not that it is set: %s", s)
	}

	unknown := cfg
	unknown.IdpID = "gitlab"
	_, err := newClient(t, unknown).ListBackups(context.Background(), gesbackups.Query{})
	apiError(t, err, 404, "IAM.0004")
}

// ForRegion's config looks its region's project up in IAM, even with
// HW_PROJECT_ID set (which the original region's config uses), and keeps
// the endpoints set on the config.
func TestForRegionLooksTheProjectUp(t *testing.T) {
	t.Setenv("HW_PROJECT_ID", "env-project")
	t.Setenv("HUAWEICLOUD_SDK_PROJECT_ID", "")
	e := tokenEmulator(t)
	// IAM has a project of its own for eu-west-101, which the emulator does
	// not serve; other regions get the emulator's, demo-project.
	e.Control(t, "POST", "cloud/iam", map[string]any{"projects": map[string]any{"eu-west-101": []string{"eu-project"}}}, nil)
	rec := &recorder{level: slog.LevelDebug}
	cfg := gesbackups.Config{Endpoint: e.URL, IAMEndpoint: e.URL, Region: "cn-north-4", AuthToken: testToken, Logger: slog.New(rec)}

	// The original region: HW_PROJECT_ID's project, which the emulator does not serve.
	_, err := newClient(t, cfg).ListBackups(context.Background(), gesbackups.Query{})
	apiError(t, err, 404, "GES.8404")
	if n := counter(t, e, "iam_requests"); n != 0 {
		t.Fatalf("the original region asked IAM %d times; HW_PROJECT_ID gives its project", n)
	}

	// Another region: IAM's project for it, demo-project, whatever HW_PROJECT_ID says.
	listed, err := newClient(t, cfg.ForRegion("ap-southeast-1")).ListBackups(context.Background(), gesbackups.Query{})
	if err != nil {
		t.Fatalf("ForRegion(ap-southeast-1): %v", err)
	}
	if len(listed.Backups) != 3 {
		t.Errorf("ForRegion(ap-southeast-1): %d backups, want the 3 samples", len(listed.Backups))
	}
	_, err = newClient(t, cfg.ForRegion("eu-west-101")).ListBackups(context.Background(), gesbackups.Query{})
	apiError(t, err, 404, "GES.8404")
	if n := counter(t, e, "iam_requests"); n != 2 {
		t.Errorf("iam_requests = %d, want one per other region", n)
	}
	text := rec.text()
	for _, path := range []string{"/v1.0/env-project/graphs/backups", "/v1.0/demo-project/graphs/backups", "/v1.0/eu-project/graphs/backups"} {
		if !strings.Contains(text, path) {
			t.Errorf("no request to %s in the log:\n%s", path, text)
		}
	}
}
