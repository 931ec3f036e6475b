package provider_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// The emulator's default data: the API page's three sample backups, newest
// first.
const (
	sampleAuto     = "7ed3f51d-816d-4651-9129-fe21b64b5c91"
	sampleManual2  = "604bfb46-04dd-45fc-a9ae-df24a0705b9d"
	sampleManual1  = "ada3e720-ab87-48cb-bff7-3ec5ae1a9652"
	sampleGraph803 = "4c5f882d-a813-4d78-a8e3-6d3212ddd121"
)

func backupIDs(t testing.TB, state map[string]any) []string {
	t.Helper()
	list, ok := state["backups"].([]any)
	if !ok {
		t.Fatalf("backups is %T, want a list", state["backups"])
	}
	out := []string{}
	for _, b := range list {
		out = append(out, b.(map[string]any)["id"].(string))
	}
	return out
}

func TestValidateDataResourceConfig(t *testing.T) {
	p := newProtocol(t)
	for _, tc := range []struct {
		name    string
		args    map[string]tftypes.Value
		badAttr string // "" when valid
	}{
		{"no arguments", nil, ""},
		{"every argument", map[string]tftypes.Value{
			"graph_id": str("g"), "graph_name": str("n"), "backup_id": str("b"), "name": str("x"),
			"status": str("success"), "backup_method": str("manual"), "most_recent": boolean(true),
		}, ""},
		{"unknown value", map[string]tftypes.Value{"name": unknownString()}, ""},
		{"every status", map[string]tftypes.Value{"status": str("backing_up")}, ""},
		{"failed", map[string]tftypes.Value{"status": str("failed"), "backup_method": str("auto")}, ""},
		{"another region", map[string]tftypes.Value{"region": str("eu-west-101")}, ""},
		{"empty name", map[string]tftypes.Value{"name": str("")}, "name"},
		{"empty graph_id", map[string]tftypes.Value{"graph_id": str(""), "status": str("success")}, "graph_id"},
		{"status in capitals", map[string]tftypes.Value{"status": str("SUCCESS")}, "status"},
		{"status typo", map[string]tftypes.Value{"status": str("sucess")}, "status"},
		{"backup_method", map[string]tftypes.Value{"backup_method": str("weird")}, "backup_method"},
		{"region", map[string]tftypes.Value{"region": str("CN North 4")}, "region"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := p.validate(t, tc.args)
			if tc.badAttr == "" {
				noDiagnostics(t, "ValidateDataResourceConfig", diags)
				return
			}
			d := oneError(t, diags)
			if d.Attribute == nil || d.Attribute.String() != tftypes.NewAttributePath().WithAttributeName(tc.badAttr).String() {
				t.Errorf("diagnostic at %v, want %s", d.Attribute, tc.badAttr)
			}
			var given string
			must(t, tc.args[tc.badAttr].As(&given))
			if given != "" && strings.Contains(d.Summary+d.Detail, given) {
				t.Errorf("the diagnostic echoes the value %q: %s", given, describe(d))
			}
		})
	}
}

// ValidateProviderConfig, as `terraform validate` sends it, checks every
// value the library would refuse, with our message on the attribute, and
// accepts the ranges' ends.
func TestValidateProviderConfig(t *testing.T) {
	p := newProtocol(t)
	valid := map[string]tftypes.Value{
		"endpoint": str("http://127.0.0.1:8089"), "region": str("cn-north-4"), "api_version": str("v2"),
		"timeout_ms": number(3_600_000), "connect_timeout_ms": number(1), "max_retries": number(0),
		"page_size": number(1000), "max_concurrency": number(64), "iam_endpoint": str("https://iam.example.com"),
		"metadata_endpoint": str("http://127.0.0.1:1"), "proxy": str(""), "cloud": str("myhuaweicloud.eu"),
	}
	noDiagnostics(t, "ValidateProviderConfig", p.validateProvider(t, valid))
	noDiagnostics(t, "ValidateProviderConfig", p.validateProvider(t, map[string]tftypes.Value{"proxy": str("socks5://127.0.0.1:1080"), "max_retries": number(10)}))
	// "" turns the metadata service off, as in the library's config.
	noDiagnostics(t, "ValidateProviderConfig", p.validateProvider(t, map[string]tftypes.Value{"metadata_endpoint": str("")}))

	for _, tc := range []struct {
		attr  string
		value tftypes.Value
		want  string
	}{
		{"page_size", number(0), "page_size must be a whole number from 1 to 1000, got 0."},
		{"page_size", fraction(10.5), "page_size must be a whole number from 1 to 1000, got 10.5."},
		{"page_size", number(1001), "from 1 to 1000"},
		{"max_concurrency", number(65), "max_concurrency must be a whole number from 1 to 64, got 65."},
		{"max_concurrency", fraction(0.5), "from 1 to 64"},
		{"max_retries", number(11), "max_retries must be a whole number from 0 to 10, got 11."},
		{"max_retries", number(-1), "from 0 to 10"},
		{"timeout_ms", number(0), "timeout_ms must be a whole number from 1 to 3600000"},
		{"timeout_ms", fraction(1e12), "timeout_ms must be a whole number from 1 to 3600000"},
		{"connect_timeout_ms", fraction(2.25), "got 2.25"},
		{"api_version", str("v3"), "api_version must be one of v1.0, v2."},
		{"endpoint", str("ges.example.com"), "endpoint must be an http:// or https:// URL"},
		{"region", str("cn_north_4"), "region must be a region name"},
		{"proxy", str("ftp://proxy:21"), "proxy must be an http://, https:// or socks5:// URL"},
		{"iam_endpoint", str("iam.example.com"), "iam_endpoint must be an http:// or https:// URL"},
		{"metadata_endpoint", str("169.254.169.254"), "metadata_endpoint must be an http:// or https:// URL with a host, or \"\""},
		{"auth_token", str("token\r\nX-Injected: 1"), "auth_token must be free of control characters"},
		{"user_agent", str("agent\x00"), "user_agent must be free of control characters"},
		{"project_id", str("p\tq"), "project_id must be free of control characters"},
		{"cloud", str("https://myhuaweicloud.com"), "cloud must be a domain name"},
	} {
		t.Run(tc.attr+" "+tc.value.String(), func(t *testing.T) {
			d := oneError(t, p.validateProvider(t, map[string]tftypes.Value{tc.attr: tc.value}))
			if d.Attribute == nil || d.Attribute.String() != tftypes.NewAttributePath().WithAttributeName(tc.attr).String() {
				t.Errorf("diagnostic at %v, want %s", d.Attribute, tc.attr)
			}
			if !strings.Contains(d.Detail, tc.want) {
				t.Errorf("detail %q lacks %q", d.Detail, tc.want)
			}
			if strings.Contains(d.Summary+d.Detail, "big.Float") || strings.Contains(d.Summary+d.Detail, "%!") {
				t.Errorf("the framework's internal message: %s", describe(d))
			}
			var s string
			if tc.value.Type().Is(tftypes.String) && tc.value.As(&s) == nil && strings.Contains(d.Summary+d.Detail, s) {
				t.Errorf("the diagnostic echoes the value %q: %s", s, describe(d))
			}
		})
	}
}

// A read fills every attribute of the state from the emulator's answer.
func TestReadDataSourceState(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken)
	p := newProtocol(t)
	p.configureEmulator(t, e, nil)

	state := p.mustRead(t, nil)
	if got := backupIDs(t, state); !reflect.DeepEqual(got, []string{sampleAuto, sampleManual2, sampleManual1}) {
		t.Errorf("backups %v", got)
	}
	if state["total_count"] != int64(3) {
		t.Errorf("total_count = %v", state["total_count"])
	}
	if id, _ := state["id"].(string); id == "" {
		t.Errorf("id = %v", state["id"])
	}
	first := state["backups"].([]any)[0].(map[string]any)
	want := map[string]any{
		"id": sampleAuto, "name": "ges060803_nodelete_20210609203323_auto", "backup_method": "auto",
		"graph_id": sampleGraph803, "graph_name": "ges060803_nodelete", "graph_status": "200",
		"graph_size_type_index": "1", "data_store_version": "2.2.21", "arch": "x86_64", "status": "success",
		"start_timestamp": int64(1623242004000), "start_time": "2021-06-09T12:33:24",
		"end_timestamp": int64(1623242004000), "end_time": "2021-06-09T12:33:24",
		"size": int64(1), "duration": int64(0), "encrypted": nil,
	}
	if !reflect.DeepEqual(first, want) {
		t.Errorf("first backup\n got %v\nwant %v", first, want)
	}
	for _, arg := range []string{"graph_id", "graph_name", "backup_id", "name", "status", "backup_method", "most_recent"} {
		if state[arg] != nil {
			t.Errorf("argument %s not given but %v in state", arg, state[arg])
		}
	}
}

// Every field round-trips into the state, encrypted as true, false and null.
func TestReadDataSourceEveryField(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken, "--data", "../../../go/testdata/every_field.json")
	p := newProtocol(t)
	p.configureEmulator(t, e, map[string]tftypes.Value{"api_version": str("v2")})
	state := p.mustRead(t, nil)
	backups := state["backups"].([]any)
	if len(backups) != 3 {
		t.Fatalf("%d backups", len(backups))
	}
	want := map[string]any{
		"id": "b1-encrypted", "name": "graph-one-20300101000000", "backup_method": "manual",
		"graph_id": "g-1111", "graph_name": "graph-one", "graph_status": "200", "graph_size_type_index": "3",
		"data_store_version": "2.3.14", "arch": "aarch64", "status": "backing_up",
		"start_timestamp": int64(1893456000123), "start_time": "2030-01-01T00:00:00",
		"end_timestamp": int64(1893459600456), "end_time": "2030-01-01T01:00:00",
		"size": int64(5000000000), "duration": int64(3600), "encrypted": true,
	}
	if !reflect.DeepEqual(backups[0], want) {
		t.Errorf("first backup\n got %v\nwant %v", backups[0], want)
	}
	encrypted := []any{}
	for _, b := range backups {
		encrypted = append(encrypted, b.(map[string]any)["encrypted"])
	}
	if !reflect.DeepEqual(encrypted, []any{true, false, nil}) {
		t.Errorf("encrypted = %v, want [true false <nil>]", encrypted)
	}
}

func TestReadDataSourceFilters(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken)
	p := newProtocol(t)
	p.configureEmulator(t, e, nil)
	ids := map[string]string{}
	for _, tc := range []struct {
		name  string
		args  map[string]tftypes.Value
		want  []string
		total int64
	}{
		{"graph_id", map[string]tftypes.Value{"graph_id": str(sampleGraph803)}, []string{sampleAuto, sampleManual1}, 2},
		{"graph_name", map[string]tftypes.Value{"graph_name": str("ges060802_nodelete")}, []string{sampleManual2}, 3},
		{"backup_id", map[string]tftypes.Value{"backup_id": str(sampleManual1)}, []string{sampleManual1}, 3},
		{"name", map[string]tftypes.Value{"name": str("ges060802_nodelete-20210608135523")}, []string{sampleManual2}, 3},
		{"status", map[string]tftypes.Value{"status": str("failed")}, []string{}, 3},
		{"backup_method", map[string]tftypes.Value{"backup_method": str("manual")}, []string{sampleManual2, sampleManual1}, 3},
		{"most_recent", map[string]tftypes.Value{"most_recent": boolean(true)}, []string{sampleAuto}, 3},
		{"most_recent false", map[string]tftypes.Value{"most_recent": boolean(false)}, []string{sampleAuto, sampleManual2, sampleManual1}, 3},
		{"manual most_recent", map[string]tftypes.Value{"backup_method": str("manual"), "most_recent": boolean(true)}, []string{sampleManual2}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state := p.mustRead(t, tc.args)
			if got := backupIDs(t, state); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("backups %v, want %v", got, tc.want)
			}
			if state["total_count"] != tc.total {
				t.Errorf("total_count = %v, want %d", state["total_count"], tc.total)
			}
			for k, v := range tc.args {
				var want any
				if v.Type().Is(tftypes.Bool) {
					var b bool
					must(t, v.As(&b))
					want = b
				} else {
					var s string
					must(t, v.As(&s))
					want = s
				}
				if state[k] != want {
					t.Errorf("argument %s = %v in state, want %v", k, state[k], want)
				}
			}
			id := state["id"].(string)
			if other, dup := ids[id]; dup {
				t.Errorf("queries %s and %s share the id %s", other, tc.name, id)
			}
			ids[id] = tc.name
			if again := p.mustRead(t, tc.args); again["id"] != id {
				t.Errorf("the id changed between two equal reads: %v, %v", id, again["id"])
			}
		})
	}
}

// Null provider attributes fall back, through the library, to the
// environment.
func TestProviderEnvironmentFallback(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken)
	t.Setenv("GES_ENDPOINT", e.URL)
	t.Setenv("HW_PROJECT_ID", testProject)
	t.Setenv("HW_AUTH_TOKEN", testToken)
	t.Setenv("HW_ACCESS_KEY", "")
	t.Setenv("HW_SECRET_KEY", "")
	p := newProtocol(t)
	noDiagnostics(t, "ConfigureProvider", p.configure(t, nil))
	state := p.mustRead(t, map[string]tftypes.Value{"most_recent": boolean(true)})
	if got := backupIDs(t, state); !reflect.DeepEqual(got, []string{sampleAuto}) {
		t.Errorf("backups %v", got)
	}
}

// Configuration errors become diagnostics with the kind, pointing at the
// attribute the library names.
func TestConfigureErrors(t *testing.T) {
	for _, env := range []string{"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_AUTH_TOKEN", "HW_SECURITY_TOKEN", "HW_PROJECT_ID", "HW_REGION_NAME",
		"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_PROJECT_ID"} {
		t.Setenv(env, "")
	}
	// No profile or credentials file of the machine's user is read.
	t.Setenv("HOME", t.TempDir())
	// The credential chain ends at the ECS metadata service, turned off here
	// with "", and a missing project is looked up at IAM, on a closed
	// loopback port: never the real addresses.
	base := func() map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"endpoint": str("http://127.0.0.1:1"), "project_id": str(testProject), "auth_token": str("a-secret-token-value"),
			"metadata_endpoint": str(""), "iam_endpoint": str("http://127.0.0.1:1"),
		}
	}
	for _, tc := range []struct {
		name, attr string
		change     func(map[string]tftypes.Value)
	}{
		{"page_size", "page_size", func(m map[string]tftypes.Value) { m["page_size"] = number(0) }},
		{"max_concurrency", "max_concurrency", func(m map[string]tftypes.Value) { m["max_concurrency"] = number(100) }},
		{"fractional page_size", "page_size", func(m map[string]tftypes.Value) { m["page_size"] = fraction(10.5) }},
		{"api_version", "api_version", func(m map[string]tftypes.Value) { m["api_version"] = str("v9") }},
		{"no credentials", "", func(m map[string]tftypes.Value) { delete(m, "auth_token") }},
		{"unknown endpoint", "endpoint", func(m map[string]tftypes.Value) { m["endpoint"] = unknownString() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			attrs := base()
			tc.change(attrs)
			d := oneError(t, newProtocol(t).configure(t, attrs))
			if tc.attr != "" {
				if d.Attribute == nil || d.Attribute.String() != tftypes.NewAttributePath().WithAttributeName(tc.attr).String() {
					t.Errorf("diagnostic at %v, want %s: %s", d.Attribute, tc.attr, describe(d))
				}
			}
			ours := tc.name == "unknown endpoint" || tc.name == "page_size" || tc.name == "max_concurrency" || tc.name == "fractional page_size"
			if !ours && !strings.Contains(d.Summary, "invalid_argument") {
				t.Errorf("summary %q lacks the kind", d.Summary)
			}
			if strings.Contains(d.Summary+d.Detail, "a-secret-token-value") {
				t.Errorf("a diagnostic shows the token: %s", describe(d))
			}
		})
	}
}

// Library errors of a read become diagnostics carrying the kind, HTTP status,
// error code and request id, and never a secret.
func TestReadDataSourceErrors(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken)

	t.Run("api error", func(t *testing.T) {
		p := newProtocol(t)
		p.configureEmulator(t, e, map[string]tftypes.Value{"project_id": str("another-project")})
		state, diags := p.read(t, nil)
		d := oneError(t, diags)
		if state != nil && (state["backups"] != nil || state["id"] != nil) {
			t.Errorf("a result next to an error: %v", state)
		}
		for _, part := range []string{"Kind: api", "HTTP status: 404", "Error code: GES.", "Request ID: "} {
			if !strings.Contains(d.Detail, part) {
				t.Errorf("detail lacks %q: %s", part, describe(d))
			}
		}
		if strings.Contains(d.Detail, "Request ID: none") || !strings.Contains(d.Summary, "api error") {
			t.Errorf("diagnostic: %s", describe(d))
		}
	})

	t.Run("wrong token", func(t *testing.T) {
		p := newProtocol(t)
		p.configureEmulator(t, e, map[string]tftypes.Value{"auth_token": str("wrong-token-value")})
		_, diags := p.read(t, nil)
		d := oneError(t, diags)
		if !strings.Contains(d.Detail, "HTTP status: 401") || strings.Contains(describe(d), "wrong-token-value") {
			t.Errorf("diagnostic: %s", describe(d))
		}
	})

	t.Run("503", func(t *testing.T) {
		e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "status", "status": 503, "retry_after": "0"}})
		defer e.Control(t, "DELETE", "faults", nil, nil)
		p := newProtocol(t)
		p.configureEmulator(t, e, map[string]tftypes.Value{"max_retries": number(0)})
		_, diags := p.read(t, nil)
		d := oneError(t, diags)
		for _, part := range []string{"Kind: api", "HTTP status: 503", "Error code: GES.7006"} {
			if !strings.Contains(d.Detail, part) {
				t.Errorf("detail lacks %q: %s", part, describe(d))
			}
		}
	})

	t.Run("transport", func(t *testing.T) {
		p := newProtocol(t)
		noDiagnostics(t, "ConfigureProvider", p.configure(t, map[string]tftypes.Value{
			"endpoint": str("http://127.0.0.1:1"), "project_id": str(testProject), "auth_token": str(testToken), "max_retries": number(0),
		}))
		_, diags := p.read(t, nil)
		d := oneError(t, diags)
		for _, part := range []string{"Kind: transport", "HTTP status: none", "Error code: none", "Request ID: none"} {
			if !strings.Contains(d.Detail, part) {
				t.Errorf("detail lacks %q: %s", part, describe(d))
			}
		}
	})

	t.Run("decode", func(t *testing.T) {
		e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "malformed"}})
		defer e.Control(t, "DELETE", "faults", nil, nil)
		p := newProtocol(t)
		p.configureEmulator(t, e, map[string]tftypes.Value{"max_retries": number(0)})
		_, diags := p.read(t, nil)
		if d := oneError(t, diags); !strings.Contains(d.Detail, "Kind: decode") {
			t.Errorf("diagnostic: %s", describe(d))
		}
	})
}
