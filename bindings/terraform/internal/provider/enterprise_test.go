package provider_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// The provider's assume_role blocks and assume_role_with_oidc block,
// configured and read through the plugin protocol against the emulator's
// IAM and STS.

const (
	rootAK = "AK-TF-ROOT"
	rootSK = "sk-tf-root-not-a-real-secret"
	// idToken is the ID token the emulator's identity provider "ci" takes.
	idToken = "ci-id-token-not-a-real-one"
)

// cloudIAM: agencies ops (root keys may assume it; by name or account id),
// audit (ops' credentials may), deployer (the identity provider ci's users
// may) and after-deployer (deployer's credentials may); an IAM user.
var cloudIAM = map[string]any{
	"agencies": []map[string]any{
		{"domain_name": "acme", "domain_id": "d-acme", "name": "ops", "assumable_by": []string{rootAK}},
		{"domain_name": "acme", "domain_id": "d-acme", "name": "audit", "assumable_by": []string{"agency:acme/ops"}},
		{"domain_name": "acme", "domain_id": "d-acme", "name": "deployer", "assumable_by": []string{"idp:ci"}},
		{"domain_name": "acme", "domain_id": "d-acme", "name": "after-deployer", "assumable_by": []string{"agency:acme/deployer"}},
	},
	"identity_providers": map[string]any{"ci": []string{idToken}},
	"users":              []map[string]any{{"domain_name": "acme", "name": "alice", "password": "alice-password-not-a-real-one"}},
}

// cloudEmulator is an emulator that wants signatures with the root keys,
// or issued credentials, with cloudIAM.
func cloudEmulator(t *testing.T, args ...string) *emulatortest.Emulator {
	t.Helper()
	e := emulatortest.Start(t, append([]string{"--access-key", rootAK, "--secret-key", rootSK}, args...)...)
	e.Control(t, "POST", "cloud/iam", cloudIAM, nil)
	return e
}

// isolatedEnv clears the variables that could give credentials or agencies
// beside a test's configuration.
func isolatedEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "HW_") || strings.HasPrefix(name, "HUAWEICLOUD_SDK_") {
			t.Setenv(name, "")
		}
	}
}

// cloudProvider is the provider's attributes for e: GES and IAM there, its
// project, no source of credentials beyond the attributes (empty profile
// and credentials files, no metadata service), no retries; and extra.
func cloudProvider(t *testing.T, e *emulatortest.Emulator, extra map[string]tftypes.Value) map[string]tftypes.Value {
	t.Helper()
	dir := t.TempDir()
	profile, credentials := filepath.Join(dir, "config.json"), filepath.Join(dir, "credentials")
	must(t, os.WriteFile(profile, []byte("{}"), 0o600))
	must(t, os.WriteFile(credentials, nil, 0o600))
	attrs := map[string]tftypes.Value{
		"endpoint": str(e.URL), "iam_endpoint": str(e.URL), "project_id": str(testProject),
		"shared_config_file": str(profile), "credentials_file": str(credentials), "metadata_endpoint": str(""),
		"max_retries": number(0),
	}
	for k, v := range extra {
		attrs[k] = v
	}
	return attrs
}

// blocks is the value of the provider's list of blocks name, each element
// with the given attributes (others null).
func (p *protocol) blocks(t *testing.T, name string, elems ...map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	list, ok := p.provider.AttributeTypes[name].(tftypes.List)
	if !ok {
		t.Fatalf("%s is not a list of blocks: %v", name, p.provider.AttributeTypes[name])
	}
	var vals []tftypes.Value
	for _, e := range elems {
		vals = append(vals, p.object(t, list.ElementType.(tftypes.Object), e))
	}
	return tftypes.NewValue(list, vals)
}

// block is the value of the provider's single block name.
func (p *protocol) block(t *testing.T, name string, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := p.provider.AttributeTypes[name].(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not a single block: %v", name, p.provider.AttributeTypes[name])
	}
	return p.object(t, obj, attrs)
}

func (p *protocol) object(t *testing.T, typ tftypes.Object, attrs map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	vals := map[string]tftypes.Value{}
	for n, at := range typ.AttributeTypes {
		vals[n] = tftypes.NewValue(at, nil)
	}
	for n, v := range attrs {
		if _, ok := typ.AttributeTypes[n]; !ok {
			t.Fatalf("no attribute %q in %v", n, typ)
		}
		vals[n] = v
	}
	return tftypes.NewValue(typ, vals)
}

// readAll reads every backup and wants the 3 samples.
func (p *protocol) readAll(t *testing.T) {
	t.Helper()
	if got := backupIDs(t, p.mustRead(t, map[string]tftypes.Value{})); len(got) != 3 {
		t.Fatalf("backups %v, want the 3 samples", got)
	}
}

func counters(t *testing.T, e *emulatortest.Emulator, names ...string) []int64 {
	t.Helper()
	all := e.CloudCounters(t)
	out := make([]int64, len(names))
	for i, n := range names {
		out[i] = all[n]
	}
	return out
}

// assume_role blocks: the keys found are exchanged for ops' temporary
// ones, then those for audit's (IAM, by account name); by account id,
// STS's call. An agency the keys may not assume is IAM's 403, on read.
func TestAssumeRoleBlocks(t *testing.T) {
	isolatedEnv(t)
	e := cloudEmulator(t)
	keys := map[string]tftypes.Value{"access_key": str(rootAK), "secret_key": str(rootSK)}

	p := newProtocol(t)
	keys["assume_role"] = p.blocks(t, "assume_role",
		map[string]tftypes.Value{"agency_name": str("ops"), "domain_name": str("acme"), "duration": number(900)},
		map[string]tftypes.Value{"agency_name": str("audit"), "domain_name": str("acme")})
	noDiagnostics(t, "ConfigureProvider", p.configure(t, cloudProvider(t, e, keys)))
	p.readAll(t)
	if got := counters(t, e, "assume_role_requests", "sts_assume_requests"); !slices.Equal(got, []int64{2, 0}) {
		t.Errorf("assume_role, sts requests: %v, want two assume_role calls", got)
	}

	p = newProtocol(t)
	keys["assume_role"] = p.blocks(t, "assume_role", map[string]tftypes.Value{"agency_name": str("ops"), "domain_id": str("d-acme")})
	noDiagnostics(t, "ConfigureProvider", p.configure(t, cloudProvider(t, e, keys)))
	p.readAll(t)
	if got := counters(t, e, "assume_role_requests", "sts_assume_requests"); !slices.Equal(got, []int64{2, 1}) {
		t.Errorf("assume_role, sts requests: %v, want one STS call more", got)
	}

	p = newProtocol(t)
	keys["assume_role"] = p.blocks(t, "assume_role", map[string]tftypes.Value{"agency_name": str("audit"), "domain_name": str("acme")})
	noDiagnostics(t, "ConfigureProvider", p.configure(t, cloudProvider(t, e, keys)))
	_, diags := p.read(t, map[string]tftypes.Value{})
	if d := oneError(t, diags); !strings.Contains(d.Detail, "HTTP status: 403") || !strings.Contains(d.Detail, "IAM.0002") {
		t.Errorf("an agency the keys may not assume: %s", describe(d))
	}
}

// Without a block, the library reads the HW_ASSUME_ROLE_* variables.
func TestAssumeRoleFromEnvironment(t *testing.T) {
	isolatedEnv(t)
	e := cloudEmulator(t)
	t.Setenv("HW_ASSUME_ROLE_AGENCY_NAME", "ops")
	t.Setenv("HW_ASSUME_ROLE_DOMAIN_NAME", "acme")
	t.Setenv("HW_ASSUME_ROLE_DURATION", "900")
	p := newProtocol(t)
	noDiagnostics(t, "ConfigureProvider", p.configure(t, cloudProvider(t, e, map[string]tftypes.Value{
		"access_key": str(rootAK), "secret_key": str(rootSK)})))
	p.readAll(t)
	if got := counters(t, e, "assume_role_requests"); got[0] != 1 {
		t.Errorf("assume_role requests: %d, want 1", got[0])
	}
}

// assume_role_with_oidc: the ID token (file or inline) of the identity
// provider is exchanged for temporary credentials, then, with agency_name,
// the agency is assumed by account id (STS), before the assume_role
// blocks; without the block, from HW_ASSUME_ROLE_* when
// HW_ASSUME_ROLE_IDP_ID is set.
func TestAssumeRoleWithOIDC(t *testing.T) {
	isolatedEnv(t)
	tokenFile := filepath.Join(t.TempDir(), "id-token")
	must(t, os.WriteFile(tokenFile, []byte(idToken+"\n"), 0o600))
	names := []string{"id_token_requests", "token_credential_requests", "sts_assume_requests", "assume_role_requests"}

	for _, c := range []struct {
		name   string
		block  map[string]tftypes.Value
		env    map[string]string
		chain  bool // an assume_role block after the OIDC agency
		counts []int64
	}{
		{"token file", map[string]tftypes.Value{"idp_id": str("ci"), "id_token_file": str(tokenFile)}, nil, false, []int64{1, 1, 0, 0}},
		{"inline token and agency", map[string]tftypes.Value{"idp_id": str("ci"), "id_token": str(idToken),
			"agency_name": str("deployer"), "domain_id": str("d-acme"), "duration": number(900)}, nil, false, []int64{1, 1, 1, 0}},
		{"agency, then assume_role", map[string]tftypes.Value{"idp_id": str("ci"), "id_token_file": str(tokenFile),
			"agency_name": str("deployer"), "domain_id": str("d-acme")}, nil, true, []int64{1, 1, 1, 1}},
		{"block from the environment", map[string]tftypes.Value{},
			map[string]string{"HW_ASSUME_ROLE_IDP_ID": "ci", "HW_ASSUME_ROLE_ID_TOKEN_FILE": tokenFile,
				"HW_ASSUME_ROLE_AGENCY_NAME": "deployer", "HW_ASSUME_ROLE_DOMAIN_ID": "d-acme"}, false, []int64{1, 1, 1, 0}},
		{"no block, the environment", nil,
			map[string]string{"HW_ASSUME_ROLE_IDP_ID": "ci", "HW_ASSUME_ROLE_ID_TOKEN": idToken}, false, []int64{1, 1, 0, 0}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			e := cloudEmulator(t)
			p := newProtocol(t)
			attrs := map[string]tftypes.Value{}
			if c.block != nil {
				attrs["assume_role_with_oidc"] = p.block(t, "assume_role_with_oidc", c.block)
			}
			if c.chain {
				attrs["assume_role"] = p.blocks(t, "assume_role", map[string]tftypes.Value{"agency_name": str("after-deployer"), "domain_name": str("acme")})
			}
			noDiagnostics(t, "ConfigureProvider", p.configure(t, cloudProvider(t, e, attrs)))
			p.readAll(t)
			if got := counters(t, e, names...); !slices.Equal(got, c.counts) {
				t.Errorf("%v: %v, want %v", names, got, c.counts)
			}
			var stats struct {
				IDTokens []string `json:"id_tokens"`
			}
			e.Control(t, "GET", "cloud/stats", nil, &stats)
			if !slices.Equal(stats.IDTokens, []string{idToken}) {
				t.Errorf("IAM was shown the ID tokens %q", stats.IDTokens)
			}
		})
	}
}

// What assume_role_with_oidc cannot be: beside other credentials, with both
// tokens (at validate), without idp_id or a token, with an agency but no
// account id, with an agency's settings but no agency (at configure); each
// diagnostic on its attribute.
func TestAssumeRoleWithOIDCRefused(t *testing.T) {
	isolatedEnv(t)
	e := cloudEmulator(t)
	p := newProtocol(t)
	oidc := func(attrs map[string]tftypes.Value) map[string]tftypes.Value {
		return map[string]tftypes.Value{"assume_role_with_oidc": p.block(t, "assume_role_with_oidc", attrs)}
	}
	at := func(names ...string) *tftypes.AttributePath {
		path := tftypes.NewAttributePath()
		for _, n := range names {
			path = path.WithAttributeName(n)
		}
		return path
	}
	check := func(what string, diags []*tfprotov6.Diagnostic, path *tftypes.AttributePath, want string) {
		t.Helper()
		d := oneError(t, diags)
		if d.Attribute == nil || !d.Attribute.Equal(path) || !strings.Contains(d.Detail, want) {
			t.Errorf("%s: %s, want %q on %s", what, describe(d), want, path)
		}
	}

	withKeys := oidc(map[string]tftypes.Value{"idp_id": str("ci"), "id_token_file": str("/nonexistent")})
	withKeys["access_key"] = str(rootAK)
	check("beside access_key", p.validateProvider(t, withKeys), at("access_key"), "access_key cannot be set beside it")
	both := oidc(map[string]tftypes.Value{"idp_id": str("ci"), "id_token_file": str("/nonexistent"), "id_token": str(idToken)})
	check("both tokens", p.validateProvider(t, both), at("assume_role_with_oidc", "id_token"), "not both")
	if strings.Contains(describe(oneError(t, p.validateProvider(t, both))), idToken) {
		t.Error("a diagnostic shows the ID token")
	}

	for _, c := range []struct {
		name  string
		block map[string]tftypes.Value
		path  *tftypes.AttributePath
		want  string
	}{
		{"no idp_id", map[string]tftypes.Value{"id_token": str(idToken)}, at("assume_role_with_oidc", "idp_id"), "needs idp_id"},
		{"no token", map[string]tftypes.Value{"idp_id": str("ci")}, at("assume_role_with_oidc", "id_token_file"), "needs id_token_file or id_token"},
		{"agency without account", map[string]tftypes.Value{"idp_id": str("ci"), "id_token": str(idToken), "agency_name": str("deployer")},
			at("assume_role_with_oidc", "domain_id"), "set domain_id"},
		{"account without agency", map[string]tftypes.Value{"idp_id": str("ci"), "id_token": str(idToken), "domain_id": str("d-acme")},
			at("assume_role_with_oidc", "agency_name"), "set agency_name"},
		{"duration out of range", map[string]tftypes.Value{"idp_id": str("ci"), "id_token": str(idToken), "agency_name": str("deployer"),
			"domain_id": str("d-acme"), "duration": number(60)}, at("assume_role_with_oidc", "duration"), "from 900 to 43200"},
	} {
		check(c.name, p.configure(t, cloudProvider(t, e, oidc(c.block))), c.path, c.want)
	}

	t.Setenv("HW_ASSUME_ROLE_IDP_ID", "ci")
	t.Setenv("HW_ASSUME_ROLE_ID_TOKEN", idToken)
	check("HW_ASSUME_ROLE_IDP_ID beside auth_token", p.configure(t, cloudProvider(t, e, map[string]tftypes.Value{"auth_token": str(testToken)})),
		at("auth_token"), "HW_ASSUME_ROLE_IDP_ID is set")
}
