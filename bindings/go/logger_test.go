package gesbackups_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// recorder is a slog.Handler that keeps the records of level and above.
type recorder struct {
	level   slog.Level
	mu      sync.Mutex
	records []slog.Record
}

func (r *recorder) Enabled(_ context.Context, l slog.Level) bool { return l >= r.level }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler           { return r }
func (r *recorder) WithGroup(string) slog.Handler                { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Clone())
	return nil
}

// byLevel is the messages recorded at each level.
func (r *recorder) byLevel() map[slog.Level][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[slog.Level][]string{}
	for _, rec := range r.records {
		out[rec.Level] = append(out[rec.Level], rec.Message)
	}
	return out
}

// text is every record, message and attributes, as slog's text handler would
// write it.
func (r *recorder) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	h := slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug - 8})
	for _, rec := range r.records {
		_ = h.Handle(context.Background(), rec)
	}
	return b.String()
}

// logEverything makes the library log at every level: pages of a listing
// from 4 goroutines at once (DEBUG for each request, INFO for each listing,
// the library's threads calling back concurrently), a 503 and its retry
// (WARN), and a call that fails (ERROR).
func logEverything(t *testing.T, e *emulatortest.Emulator, cfg gesbackups.Config) {
	t.Helper()
	c := newClient(t, cfg)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.ListBackups(context.Background(), gesbackups.Query{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	e.Fault(t, map[string]any{"times": 1, "action": map[string]any{"type": "status", "status": 503, "retry_after": "0"}})
	if _, err := c.ListBackups(context.Background(), gesbackups.Query{}); err != nil {
		t.Fatal(err)
	}
	e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "status", "status": 404}})
	_, err := c.ListBackups(context.Background(), gesbackups.Query{})
	asError(t, err, gesbackups.KindAPI)
}

// A test per level: a logger whose handler wants level L gets records at L
// and at every level above it, none below, each mapped to its slog level.
func TestLoggerLevels(t *testing.T) {
	want := map[slog.Level]string{ // a word each level's messages hold
		slog.LevelDebug: "/graphs/backups",
		slog.LevelInfo:  "backups",
		slog.LevelWarn:  "503",
		slog.LevelError: "404",
	}
	for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
		t.Run(level.String(), func(t *testing.T) {
			e := tokenEmulator(t, "--backups", "450")
			rec := &recorder{level: level}
			cfg := configFor(e)
			cfg.PageSize, cfg.MaxConcurrency, cfg.Logger = ptr(100), ptr(4), slog.New(rec)
			logEverything(t, e, cfg)
			got := rec.byLevel()
			for l, msgs := range got {
				if l < level {
					t.Errorf("a %s logger got %d %s records: %q", level, len(msgs), l, msgs[0])
				}
			}
			for l, word := range want {
				if l < level {
					continue
				}
				msgs := got[l]
				if len(msgs) == 0 {
					t.Errorf("no %s record; got %v", l, got)
					continue
				}
				if !strings.Contains(strings.Join(msgs, "\n"), word) {
					t.Errorf("no %s record mentions %q: %q", l, word, msgs)
				}
			}
			if level == slog.LevelDebug && len(got[slog.LevelDebug]) < 4*5 {
				t.Errorf("%d DEBUG records for 4 listings of 5 pages", len(got[slog.LevelDebug]))
			}
		})
	}
}

// No secret reaches a record, at any level, whatever the call does: AK/SK
// with a security token, an auth token beside them, a wrong secret key.
func TestLoggerNeverLogsSecrets(t *testing.T) {
	const ak, sk, st, token = "LOGTESTAK", "secret-key-d41d8cd9", "security-token-8f00b204", "auth-token-e9800998"
	e := emulatortest.Start(t, "--access-key", ak, "--secret-key", sk, "--backups", "250")
	rec := &recorder{level: slog.LevelDebug - 8}
	base := gesbackups.Config{Endpoint: e.URL, ProjectID: testProject, AccessKey: ak, SecretKey: sk,
		SecurityToken: st, PageSize: ptr(100), Logger: slog.New(rec)}
	logEverything(t, e, base)

	withToken := base
	withToken.AuthToken = token
	wrong := base
	wrong.SecretKey = "wrong-" + sk
	for _, cfg := range []gesbackups.Config{withToken, wrong} {
		c := newClient(t, cfg)
		_, _ = c.ListBackups(context.Background(), gesbackups.Query{})
	}
	text := rec.text()
	for _, secret := range []string{sk, st, token, "Signature=", "SDK-HMAC-SHA256 "} {
		if strings.Contains(text, secret) {
			t.Errorf("a log record holds %q:\n%s", secret, text)
		}
	}
	if n := strings.Count(text, "\n"); n < 10 {
		t.Fatalf("only %d records: the test proves nothing\n%s", n, text)
	}
}

// panicky is a handler that panics on every record.
type panicky struct{ recorder }

func (p *panicky) Handle(context.Context, slog.Record) error { panic("a handler bug") }

// A handler that panics loses its records but neither crashes the program
// (a panic must not unwind through the library's frames) nor fails the call.
func TestLoggerHandlerPanics(t *testing.T) {
	e := tokenEmulator(t, "--backups", "250")
	cfg := configFor(e)
	cfg.PageSize, cfg.Logger = ptr(100), slog.New(&panicky{recorder{level: slog.LevelDebug}})
	got, err := newClient(t, cfg).ListBackups(context.Background(), gesbackups.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Backups) != 250 {
		t.Fatalf("got %d backups", len(got.Backups))
	}
}
