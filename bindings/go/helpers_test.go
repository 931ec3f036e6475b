package gesbackups_test

import (
	"errors"
	"testing"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

const (
	testProject = "demo-project"
	testToken   = "emulator-token-not-a-real-secret"
)

// tokenEmulator starts an emulator that wants testToken, with args added.
func tokenEmulator(t testing.TB, args ...string) *emulatortest.Emulator {
	return emulatortest.Start(t, append([]string{"--auth-token", testToken}, args...)...)
}

// configFor is a Config for e that authenticates with testToken.
func configFor(e *emulatortest.Emulator) gesbackups.Config {
	return gesbackups.Config{Endpoint: e.URL, ProjectID: testProject, AuthToken: testToken}
}

// newClient creates a client and closes it when the test ends.
func newClient(t testing.TB, cfg gesbackups.Config) *gesbackups.Client {
	t.Helper()
	c, err := gesbackups.NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient(%v): %v", cfg, err)
	}
	t.Cleanup(c.Close)
	return c
}

// asError asserts that err is a *gesbackups.Error of kind want.
func asError(t testing.TB, err error, want gesbackups.ErrorKind) *gesbackups.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want a %s error, got none", want)
	}
	var e *gesbackups.Error
	if !errors.As(err, &e) {
		t.Fatalf("want a *gesbackups.Error of kind %s, got %T: %v", want, err, err)
	}
	if e.Kind != want {
		t.Fatalf("want kind %s, got %s: %v", want, e.Kind, err)
	}
	for k, sentinel := range sentinelOf {
		if errors.Is(err, sentinel) != (k == want) {
			t.Fatalf("errors.Is(err, %v) = %v for a %s error", sentinel, !(k == want), want)
		}
	}
	if e.Message == "" {
		t.Fatalf("an error without a message: %#v", e)
	}
	return e
}

func ptr[T any](v T) *T { return &v }

func ids(l *gesbackups.BackupList) []string {
	out := make([]string, len(l.Backups))
	for i, b := range l.Backups {
		out[i] = b.ID
	}
	return out
}
