package gesbackups

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"testing"
)

// Every Config field goes to the library under its own key, set fields only.
func TestConfigJSONKeys(t *testing.T) {
	n := func(v int) *int { return &v }
	s := func(v string) *string { return &v }
	cfg := Config{
		Endpoint: "http://127.0.0.1:1", Region: "cn-north-4", ProjectID: "p", AccessKey: "ak", SecretKey: "sk",
		SecurityToken: "st", AuthToken: "tok", APIVersion: "v2", CAFile: "/ca.pem", UserAgent: "ua",
		TimeoutMs: n(1), ConnectTimeoutMs: n(2), MaxRetries: n(3), PageSize: n(4), MaxConcurrency: n(5), MaxConnections: n(6),
		Cloud: "example.com", IAMEndpoint: "http://127.0.0.1:2", SharedConfigFile: "/hcloud.json", Profile: "dev",
		CredentialsFile: "/credentials", MetadataEndpoint: s("http://127.0.0.1:3"), Proxy: s("socks5://127.0.0.1:4"),
	}
	const want = `{"endpoint":"http://127.0.0.1:1","region":"cn-north-4","project_id":"p","access_key":"ak",` +
		`"secret_key":"sk","security_token":"st","auth_token":"tok","api_version":"v2","timeout_ms":1,` +
		`"connect_timeout_ms":2,"max_retries":3,"page_size":4,"max_concurrency":5,"max_connections":6,"ca_file":"/ca.pem",` +
		`"user_agent":"ua","cloud":"example.com","iam_endpoint":"http://127.0.0.1:2",` +
		`"shared_config_file":"/hcloud.json","profile":"dev","credentials_file":"/credentials",` +
		`"metadata_endpoint":"http://127.0.0.1:3","proxy":"socks5://127.0.0.1:4"}`
	assertConfigJSON(t, cfg, want)

	assertConfigJSON(t, Config{}, `{}`)
	// A pointer to "" turns the environment's proxy off: it is sent.
	assertConfigJSON(t, Config{Proxy: s("")}, `{"proxy":""}`)

	if _, err := (Config{Profile: "bad\xff"}).marshal(); err == nil || !strings.Contains(err.Error(), `"profile"`) {
		t.Errorf("invalid UTF-8 in Profile: got %v, want an error naming profile", err)
	}
	if _, err := (Config{Proxy: s("\xff")}).marshal(); err == nil || !strings.Contains(err.Error(), `"proxy"`) {
		t.Errorf("invalid UTF-8 in Proxy: got %v, want an error naming proxy", err)
	}
}

// ForRegion sends "project_id": "" (look it up, whatever the environment
// says) with the new region, through copies; String says what that ""
// means; a ProjectID set afterwards wins; the original is untouched.
func TestForRegionJSON(t *testing.T) {
	orig := Config{Region: "cn-north-4", ProjectID: "p", AuthToken: "tok",
		AssumeRole: []AssumeRole{{AgencyName: "ops", DomainName: "acme"}}}
	other := orig.ForRegion("ap-southeast-1")
	copied := other
	const want = `{"region":"ap-southeast-1","project_id":"","auth_token":"tok","assume_role":[{"agency_name":"ops","domain_name":"acme"}]}`
	assertConfigJSON(t, copied, want)
	assertConfigJSON(t, orig, `{"region":"cn-north-4","project_id":"p","auth_token":"tok","assume_role":[{"agency_name":"ops","domain_name":"acme"}]}`)

	if got := copied.String(); !strings.Contains(got, `Region:"ap-southeast-1", ProjectID:"" (looked up in IAM), AuthToken:"REDACTED"`) {
		t.Errorf("String of a ForRegion config: %s", got)
	}
	b, err := json.Marshal(copied)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); !strings.Contains(got, `"region":"ap-southeast-1","project_id":"","auth_token":"REDACTED"`) {
		t.Errorf("json.Marshal of a ForRegion config: %s", got)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "cfg", copied)
	if !strings.Contains(logged.String(), `cfg.region=ap-southeast-1 cfg.project_id="" cfg.auth_token=REDACTED`) {
		t.Errorf("slog of a ForRegion config: %s", logged.String())
	}

	// The agencies are the result's own.
	copied.AssumeRole[0].AgencyName = "changed"
	if orig.AssumeRole[0].AgencyName != "ops" {
		t.Error("changing the agencies of ForRegion's result changed the original's")
	}
	copied.ProjectID = "chosen"
	assertConfigJSON(t, Config{Region: "r"}.ForRegion("s").ForRegion("t"), `{"region":"t","project_id":""}`)
	if got, _ := copied.marshal(); !strings.Contains(string(got), `"project_id":"chosen"`) {
		t.Errorf("a ProjectID set after ForRegion is not sent: %s", got)
	}
}

func assertConfigJSON(t *testing.T, cfg Config, want string) {
	t.Helper()
	got, err := cfg.marshal()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("config JSON of %v:\n got %s\nwant %s", cfg, got, want)
	}
}

// Each config key the library describes is a field of Config, and no
// secret of a key the library calls sensitive, nor the password of a URL,
// shows when a Config is printed (fmt), marshalled (encoding/json) or logged
// (slog's JSON and text handlers).
func TestConfigCoversTheLibrarySchema(t *testing.T) {
	var schema struct {
		Config []struct {
			Name      string `json:"name"`
			Sensitive bool   `json:"sensitive"`
		} `json:"config"`
	}
	if err := json.Unmarshal([]byte(SchemaJSON()), &schema); err != nil {
		t.Fatal(err)
	}
	if len(schema.Config) < 15 {
		t.Fatalf("the schema lists %d config keys", len(schema.Config))
	}
	cfg := configOfEveryKey(t)
	out, err := cfg.marshal()
	if err != nil {
		t.Fatal(err)
	}
	var sent map[string]any
	if err := json.Unmarshal(out, &sent); err != nil {
		t.Fatal(err)
	}
	outputs := configOutputs(t, cfg)
	for _, k := range schema.Config {
		if _, ok := sent[k.Name]; !ok {
			t.Errorf("the library's config key %q is not a field of Config", k.Name)
		}
		for how, printed := range outputs {
			// "@" ends the password: id_token's is not id_token_file's.
			if k.Sensitive && strings.Contains(printed, "pw-"+k.Name+"@") {
				t.Errorf("the sensitive key %q shows in %s: %s", k.Name, how, printed)
			}
		}
	}
	for how, printed := range outputs {
		for _, k := range []string{"proxy", "endpoint", "iam_endpoint", "metadata_endpoint"} {
			if strings.Contains(printed, "pw-"+k) || !strings.Contains(printed, "host/"+k) {
				t.Errorf("%s shows the password of %s, or not the rest of its URL: %s", how, k, printed)
			}
		}
		for _, k := range []string{"region", "access_key", "profile"} {
			if !strings.Contains(printed, "http://user:pw-"+k+"@host/"+k) {
				t.Errorf("%s does not show %s: %s", how, k, printed)
			}
		}
		// fmt shows Go's field names, the others the config keys.
		for name, key := range map[string]string{"PageSize": "page_size", "SecretKey": "secret_key", "Proxy": "proxy"} {
			if !strings.Contains(printed, name+`:`) && !strings.Contains(printed, `"`+key+`":`) && !strings.Contains(printed, "cfg."+key+"=") {
				t.Errorf("%s shows no field %s (%s): %s", how, name, key, printed)
			}
		}
	}
}

// configOfEveryKey is a Config with every field set, found by reflection
// (a key added to the schema is covered by regenerating): each string holds
// a password naming its key, as a URL would (http://user:pw-KEY@host/KEY),
// each number 7, each bool true, each list one element set so.
func configOfEveryKey(t *testing.T) Config {
	t.Helper()
	var cfg Config
	fill(t, reflect.ValueOf(&cfg).Elem(), "")
	return cfg
}

// fill sets every field of the struct v that has a json key, as
// configOfEveryKey says; the key of a list's element's string is the list's.
func fill(t *testing.T, v reflect.Value, listKey string) {
	t.Helper()
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if key == "" || key == "-" {
			continue
		}
		if listKey != "" {
			key = listKey
		}
		url := "http://user:pw-" + key + "@host/" + key
		switch {
		case f.Kind() == reflect.String:
			f.SetString(url)
		case f.Kind() == reflect.Pointer:
			p := reflect.New(sf.Type.Elem())
			switch p.Elem().Kind() {
			case reflect.String:
				p.Elem().SetString(url)
			case reflect.Int, reflect.Int64:
				p.Elem().SetInt(7)
			case reflect.Bool:
				p.Elem().SetBool(true)
			default:
				t.Fatalf("Config.%s: a %s", sf.Name, sf.Type)
			}
			f.Set(p)
		case f.Kind() == reflect.Slice && sf.Type.Elem().Kind() == reflect.Struct:
			f.Set(reflect.MakeSlice(sf.Type, 1, 1))
			fill(t, f.Index(0), key)
		default:
			t.Fatalf("Config.%s: a %s", sf.Name, sf.Type)
		}
	}
}

// configOutputs is cfg as every printer a program may hand it to shows it.
func configOutputs(t *testing.T, cfg Config) map[string]string {
	t.Helper()
	out := map[string]string{
		"fmt": fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, &cfg),
	}
	for name, v := range map[string]any{"json.Marshal(cfg)": cfg, "json.Marshal(&cfg)": &cfg,
		"json.Marshal of a struct holding it": struct{ C Config }{cfg}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !json.Valid(b) {
			t.Fatalf("%s is not JSON: %s", name, b)
		}
		out[name] = string(b)
	}
	for name, h := range map[string]func(io.Writer) slog.Handler{
		"slog JSON handler": func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
		"slog text handler": func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
	} {
		var b bytes.Buffer
		logger := slog.New(h(&b))
		logger.Info("config", "cfg", cfg)
		logger.Info("config pointer", "cfg", &cfg)
		logger.Info("config attr", slog.Any("cfg", cfg))
		out[name] = b.String()
	}
	return out
}
