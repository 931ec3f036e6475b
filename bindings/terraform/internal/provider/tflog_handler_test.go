package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

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
