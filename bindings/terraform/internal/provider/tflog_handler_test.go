package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// Each slog level reaches tflog at the mapped level with its attributes and
// groups; records below TF_LOG's level are not even asked for; a secret is
// masked wherever it appears.
func TestTflogHandler(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER", "")
	t.Setenv("TF_LOG", "DEBUG")
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	h := newTflogHandler(ctx, "the-secret-token", "")
	logger := slog.New(h).With("client", 1)

	if h.Enabled(ctx, slog.LevelDebug-4) || !h.Enabled(ctx, slog.LevelDebug) {
		t.Error("TF_LOG=DEBUG: want debug records and no trace records")
	}
	logger.Debug("GET /v1.0/p/graphs/backups?offset=0&limit=100 200", "attempt", 1, slog.Group("timing", "ms", 12))
	logger.Info("listed 3 backups")
	logger.Warn("retrying after 503", "wait_ms", 100)
	logger.Error("failed: token the-secret-token refused")

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		lines = append(lines, m)
	}
	want := []struct{ level, message string }{
		{"debug", "GET /v1.0/p/graphs/backups?offset=0&limit=100 200"},
		{"info", "listed 3 backups"},
		{"warn", "retrying after 503"},
		{"error", "failed: token *** refused"},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), buf.String())
	}
	for i, w := range want {
		if lines[i]["@level"] != w.level || lines[i]["@message"] != w.message || lines[i]["client"] != float64(1) {
			t.Errorf("line %d = %v, want %s %q with client=1", i, lines[i], w.level, w.message)
		}
	}
	if lines[0]["attempt"] != float64(1) || lines[0]["timing.ms"] != float64(12) || lines[2]["wait_ms"] != float64(100) {
		t.Errorf("attributes lost: %v, %v", lines[0], lines[2])
	}
	if strings.Contains(buf.String(), "the-secret-token") {
		t.Error("a secret reached the log")
	}

	t.Setenv("TF_LOG", "")
	if newTflogHandler(ctx).Enabled(ctx, slog.LevelError) {
		t.Error("TF_LOG unset: want no records")
	}
	t.Setenv("TF_LOG_PROVIDER", "warn")
	if h := newTflogHandler(ctx); h.Enabled(ctx, slog.LevelInfo) || !h.Enabled(ctx, slog.LevelWarn) {
		t.Error("TF_LOG_PROVIDER=warn: want warn and above only")
	}
}

// The provider masks the secrets it knows of: the sensitive attributes'
// values and their environment variables' (the library scrubs the rest);
// of a proxy URL only the password, and nothing of NO_PROXY's hosts.
func TestSecretsOf(t *testing.T) {
	t.Setenv("HW_SECRET_KEY", "env-secret-key-value")
	t.Setenv("HUAWEICLOUD_SDK_SECURITY_TOKEN", "env-security-token-value")
	t.Setenv("https_proxy", "http://user:env-proxy-password@proxy.example:3128")
	t.Setenv("NO_PROXY", "localhost,127.0.0.1")
	t.Setenv("HW_ACCESS_KEY", "ENVACCESSKEYID")
	values := map[string]tftypes.Value{
		"auth_token": tftypes.NewValue(tftypes.String, "attribute-token-value"),
		"proxy":      tftypes.NewValue(tftypes.String, "socks5://u:attribute-proxy-password@proxy.example:1080"),
		"endpoint":   tftypes.NewValue(tftypes.String, "http://127.0.0.1:8089"),
		"secret_key": tftypes.NewValue(tftypes.String, nil),
	}
	secrets := secretsOf(library().Config, values)
	known := []string{"env-secret-key-value", "env-security-token-value", "env-proxy-password", "attribute-token-value", "attribute-proxy-password"}
	for _, want := range known {
		if !slices.Contains(secrets, want) {
			t.Errorf("%q is not masked; masks: %d", want, len(secrets))
		}
	}
	for _, s := range secrets {
		if s == "" || s == "ENVACCESSKEYID" || s == "localhost,127.0.0.1" || strings.Contains(s, "127.0.0.1") || strings.Contains(s, "proxy.example") {
			t.Errorf("%q is masked, but is no secret", s)
		}
	}

	t.Setenv("TF_LOG_PROVIDER", "")
	t.Setenv("TF_LOG", "DEBUG")
	var buf bytes.Buffer
	logger := slog.New(newTflogHandler(tflogtest.RootLogger(context.Background(), &buf), secrets...))
	logger.Warn("gateway echoed env-secret-key-value and env-security-token-value",
		"body", "Authorization: attribute-token-value; proxy user:env-proxy-password", "host", "127.0.0.1")
	for _, secret := range known {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("the log shows %q: %s", secret, buf.String())
		}
	}
	if !strings.Contains(buf.String(), "127.0.0.1") {
		t.Errorf("the log lost a host that is no secret: %s", buf.String())
	}
}

// Records from many threads at once, with masks, while the provider logs on
// the parent context: terraform-plugin-log's masking writes into the
// context's fields, which crashed the provider (a fatal error, not a panic)
// before the handler had a map of its own and wrote one record at a time.
func TestTflogHandlerConcurrent(t *testing.T) {
	t.Setenv("TF_LOG_PROVIDER", "")
	t.Setenv("TF_LOG", "DEBUG")
	ctx := tflog.SetField(tflogtest.RootLogger(context.Background(), io.Discard), "tf_rpc", "ConfigureProvider")
	logger := slog.New(newTflogHandler(ctx, "the-secret-token", "another-secret")).With("client", 1)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				logger.Debug("GET page the-secret-token", "attempt", i, "header", "another-secret")
			}
		}()
	}
	for i := 0; i < 2000; i++ {
		tflog.Debug(ctx, "the provider's own line", map[string]any{"i": i})
	}
	wg.Wait()
}

// The assume_role_with_oidc block's ID token is masked, from the block or
// from HW_ASSUME_ROLE_ID_TOKEN; its other attributes are no secret.
func TestSecretsOfOIDCBlock(t *testing.T) {
	t.Setenv("HW_ASSUME_ROLE_ID_TOKEN", "env-id-token-value")
	t.Setenv("HW_ASSUME_ROLE_IDP_ID", "env-idp")
	block := map[string]tftypes.Value{
		"id_token": tftypes.NewValue(tftypes.String, "block-id-token-value"),
		"idp_id":   tftypes.NewValue(tftypes.String, "block-idp"),
	}
	secrets := secretsOf(oidcEntries(), block)
	slices.Sort(secrets)
	if want := []string{"block-id-token-value", "env-id-token-value"}; !slices.Equal(secrets, want) {
		t.Errorf("masks %q, want %q", secrets, want)
	}
}
