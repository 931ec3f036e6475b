package gesbackups_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"regexp"
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

// signatureValue is a signature's value after "Signature=", as it would
// leak: hex of a MAC or DER.
var signatureValue = regexp.MustCompile(`Signature=[0-9a-fA-F]{8}`)

// A gateway that echoes each request back (the emulator's echo fault: a 503
// whose body quotes every request header) shows no secret in any record of
// a DEBUG logger (slog's JSON handler), nor in the error returned: not the
// secret key, the security token, an auth token, a password, a signature,
// nor the temporary credentials and IAM tokens the client obtained.
func TestLoggerEchoedRequestsShowNoSecret(t *testing.T) {
	const securityToken, password = "security-token-echo-8f00b204", "password-echo-e9800998"
	e := cloudEmulator(t, map[string]any{
		"users":    []map[string]any{{"domain_name": "acme", "name": "alice", "password": password}},
		"agencies": agencies["agencies"],
	}, "--auth-token", testToken)
	var out bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))

	keys := isolated(t, e)
	keys.AccessKey, keys.SecretKey, keys.SecurityToken = rootAK, rootSK, securityToken
	token := isolated(t, e)
	token.AuthToken = testToken
	user := isolated(t, e)
	user.UserName, user.Password, user.DomainName = "alice", password, "acme"
	agency := isolated(t, e)
	agency.AccessKey, agency.SecretKey = rootAK, rootSK
	agency.AssumeRole = []gesbackups.AssumeRole{{AgencyName: "ops", DomainName: "acme"}}

	e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "echo", "status": 503, "retry_after": 0}})
	var errs []string
	for name, cfg := range map[string]gesbackups.Config{"AK/SK and a security token": keys, "an auth token": token,
		"a password": user, "an agency": agency} {
		cfg.Logger, cfg.MaxRetries = logger, ptr(1)
		_, err := newClient(t, cfg).ListBackups(context.Background(), gesbackups.Query{})
		if e := asError(t, err, gesbackups.KindAPI); e.HTTPStatus != 503 {
			t.Fatalf("%s: want the echo's 503, got %v", name, err)
		}
		errs = append(errs, err.Error())
	}
	text := out.String() + strings.Join(errs, "\n")
	// The echoes reached the records: a secret would have too.
	if n := strings.Count(out.String(), "gateway echo of GET"); n < 8 {
		t.Fatalf("%d records quote the echo (4 clients, a retry each): the test proves nothing\n%s", n, text)
	}
	for _, secret := range []string{rootSK, securityToken, testToken, password} {
		if strings.Contains(text, secret) {
			t.Errorf("a record or an error holds the secret %q", secret)
		}
	}
	if m := signatureValue.FindString(text); m != "" {
		t.Errorf("a record or an error holds a signature: %q", m)
	}
	// What the client obtained: the agency's temporary security token and
	// the user's IAM token, each quoted by the echo under its header.
	for _, header := range []string{"x-security-token: ", "x-auth-token: "} {
		for _, quoted := range strings.Split(text, header)[1:] {
			if !strings.HasPrefix(quoted, "***") {
				t.Errorf("a record or an error shows %s%.40s", header, quoted)
			}
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Fatalf("not a JSON record: %s", line)
		}
	}
	t.Logf("%d records, e.g. %.300s", strings.Count(out.String(), "\n"), firstLine(out.String(), "gateway echo"))
}

// firstLine is the first line of text holding word.
func firstLine(text, word string) string {
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, word) {
			return line
		}
	}
	return ""
}
