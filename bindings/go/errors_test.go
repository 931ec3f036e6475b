package gesbackups_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

func TestInvalidArgumentErrors(t *testing.T) {
	e := tokenEmulator(t)
	t.Setenv("HW_ACCESS_KEY", "")
	t.Setenv("HW_SECRET_KEY", "")
	t.Setenv("HW_AUTH_TOKEN", "")

	for _, tc := range []struct {
		name, names string
		mutate      func(*gesbackups.Config)
	}{
		{"page_size 0", "page_size", func(c *gesbackups.Config) { c.PageSize = ptr(0) }},
		{"max_concurrency 65", "max_concurrency", func(c *gesbackups.Config) { c.MaxConcurrency = ptr(65) }},
		{"max_retries -1", "max_retries", func(c *gesbackups.Config) { c.MaxRetries = ptr(-1) }},
		{"timeout_ms 0", "timeout_ms", func(c *gesbackups.Config) { c.TimeoutMs = ptr(0) }},
		{"api_version", "api_version", func(c *gesbackups.Config) { c.APIVersion = "v3" }},
		{"endpoint scheme", "endpoint", func(c *gesbackups.Config) { c.Endpoint = "ftp://example.com" }},
		// The metadata service, the chain's last source, is turned off: a
		// test never contacts the real one.
		{"no credentials", "credentials", func(c *gesbackups.Config) { c.AuthToken, c.MetadataEndpoint = "", ptr("") }},
		{"no project", "project_id", func(c *gesbackups.Config) { c.ProjectID = "" }},
		{"bad UTF-8", "auth_token", func(c *gesbackups.Config) { c.AuthToken = "tok\xff" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("HW_PROJECT_ID", "")
			cfg := configFor(e)
			tc.mutate(&cfg)
			c, err := gesbackups.NewClient(cfg)
			if c != nil {
				c.Close()
				t.Fatal("NewClient returned a client and an error")
			}
			ge := asError(t, err, gesbackups.KindInvalidArgument)
			if !strings.Contains(ge.Message, tc.names) {
				t.Errorf("message %q does not name %q", ge.Message, tc.names)
			}
			if ge.HTTPStatus != 0 || ge.Code != "" || ge.RequestID != "" {
				t.Errorf("an invalid argument with HTTP details: %#v", ge)
			}
		})
	}

	c := newClient(t, configFor(e))
	for _, tc := range []struct {
		name, names string
		q           gesbackups.Query
	}{
		{"limit 0", "limit", gesbackups.Query{Limit: ptr(0)}},
		{"limit 1001", "limit", gesbackups.Query{Limit: ptr(1001)}},
		{"offset -1", "offset", gesbackups.Query{Offset: ptr(-1)}},
		{"bad UTF-8", "name", gesbackups.Query{Name: "x\xfe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := c.ListBackups(context.Background(), tc.q)
			if l != nil {
				t.Fatal("a result and an error")
			}
			ge := asError(t, err, gesbackups.KindInvalidArgument)
			if !strings.Contains(ge.Message, tc.names) {
				t.Errorf("message %q does not name %q", ge.Message, tc.names)
			}
		})
	}
}

func TestTransportError(t *testing.T) {
	// A port that nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := newClient(t, gesbackups.Config{Endpoint: "http://" + addr, ProjectID: testProject, AuthToken: testToken, MaxRetries: ptr(0)})
	_, err = c.ListBackups(context.Background(), gesbackups.Query{})
	ge := asError(t, err, gesbackups.KindTransport)
	if ge.HTTPStatus != 0 || ge.Code != "" || ge.RequestID != "" {
		t.Errorf("a transport error with HTTP details: %#v", ge)
	}

	// A dropped connection, on every retry.
	e := tokenEmulator(t)
	e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "drop"}})
	cfg := configFor(e)
	cfg.MaxRetries = ptr(1)
	_, err = newClient(t, cfg).ListBackups(context.Background(), gesbackups.Query{})
	asError(t, err, gesbackups.KindTransport)
	if n := e.Requests(t); n != 2 {
		t.Errorf("the emulator saw %d requests, want 2 (one retry)", n)
	}
}

func TestAPIErrors(t *testing.T) {
	e := tokenEmulator(t)

	t.Run("unknown project", func(t *testing.T) {
		cfg := configFor(e)
		cfg.ProjectID = "another-project"
		_, err := newClient(t, cfg).ListBackups(context.Background(), gesbackups.Query{})
		ge := asError(t, err, gesbackups.KindAPI)
		if ge.HTTPStatus != 404 || !strings.HasPrefix(ge.Code, "GES.") || ge.RequestID == "" {
			t.Errorf("got %#v, want HTTP 404 with a GES code and a request id", ge)
		}
		for _, part := range []string{"api error", "HTTP 404", ge.Code, ge.RequestID, ge.Message} {
			if !strings.Contains(ge.Error(), part) {
				t.Errorf("Error() = %q lacks %q", ge.Error(), part)
			}
		}
	})

	t.Run("wrong token", func(t *testing.T) {
		cfg := configFor(e)
		cfg.AuthToken = "wrong-token-value"
		_, err := newClient(t, cfg).ListBackups(context.Background(), gesbackups.Query{})
		ge := asError(t, err, gesbackups.KindAPI)
		if ge.HTTPStatus != 401 || ge.Code == "" || ge.RequestID == "" {
			t.Errorf("got %#v, want HTTP 401 with a code and a request id", ge)
		}
		if strings.Contains(ge.Error(), "wrong-token-value") {
			t.Errorf("the error shows the token: %v", ge)
		}
	})

	t.Run("503 after retries", func(t *testing.T) {
		e.Control(t, "DELETE", "faults", nil, nil)
		e.Control(t, "POST", "reset", nil, nil)
		e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "status", "status": 503, "retry_after": "0"}})
		cfg := configFor(e)
		cfg.MaxRetries = ptr(2)
		before := e.Requests(t)
		_, err := newClient(t, cfg).ListBackups(context.Background(), gesbackups.Query{})
		ge := asError(t, err, gesbackups.KindAPI)
		if ge.HTTPStatus != 503 || ge.Code != "GES.7006" {
			t.Errorf("got %#v, want HTTP 503 GES.7006", ge)
		}
		if n := e.Requests(t) - before; n != 3 {
			t.Errorf("the emulator saw %d requests, want 3 (two retries)", n)
		}
		e.Control(t, "DELETE", "faults", nil, nil)
	})

	t.Run("gateway body", func(t *testing.T) {
		e.Fault(t, map[string]any{"action": map[string]any{"type": "status", "status": 403,
			"body": map[string]any{"error_code": "APIGW.0302", "error_msg": "forbidden by the gateway", "request_id": "r-1"}}})
		_, err := newClient(t, configFor(e)).ListBackups(context.Background(), gesbackups.Query{})
		ge := asError(t, err, gesbackups.KindAPI)
		if ge.HTTPStatus != 403 || ge.Code != "APIGW.0302" || !strings.Contains(ge.Message, "forbidden by the gateway") {
			t.Errorf("got %#v", ge)
		}
	})

	t.Run("retry then success", func(t *testing.T) {
		e.Fault(t, map[string]any{"times": 2, "action": map[string]any{"type": "status", "status": 502, "retry_after": "0"}})
		got, err := newClient(t, configFor(e)).ListBackups(context.Background(), gesbackups.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Backups) != 3 {
			t.Fatalf("got %d backups", len(got.Backups))
		}
	})
}

func TestDecodeError(t *testing.T) {
	e := tokenEmulator(t)
	for _, action := range []map[string]any{
		{"type": "malformed"},
		{"type": "oversize"}, // a 200 answer over 32 MiB
	} {
		t.Run(action["type"].(string), func(t *testing.T) {
			e.Control(t, "DELETE", "faults", nil, nil)
			e.Fault(t, map[string]any{"times": 0, "action": action})
			cfg := configFor(e)
			cfg.MaxRetries = ptr(0)
			_, err := newClient(t, cfg).ListBackups(context.Background(), gesbackups.Query{})
			asError(t, err, gesbackups.KindDecode)
		})
	}
}

func TestInconsistentError(t *testing.T) {
	e := tokenEmulator(t, "--backups", "50")
	// Every answer reports a count that does not match the backups served.
	e.Fault(t, map[string]any{"times": 0, "action": map[string]any{"type": "count_delta", "delta": 1}})
	cfg := configFor(e)
	cfg.PageSize = ptr(10)
	_, err := newClient(t, cfg).ListBackups(context.Background(), gesbackups.Query{})
	asError(t, err, gesbackups.KindInconsistent)
}

// KindInternal is a caught panic in the library and cannot be provoked; its
// value is pinned to the C enum at compile time (errors.go), and it formats
// like the others.
func TestErrorFormattingAndKinds(t *testing.T) {
	for k, want := range map[gesbackups.ErrorKind]string{
		gesbackups.KindInvalidArgument: "invalid_argument",
		gesbackups.KindTransport:       "transport",
		gesbackups.KindAPI:             "api",
		gesbackups.KindDecode:          "decode",
		gesbackups.KindInconsistent:    "inconsistent",
		gesbackups.KindInternal:        "internal",
		gesbackups.KindCancelled:       "cancelled",
		gesbackups.ErrorKind(42):       "ErrorKind(42)",
	} {
		if k.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(k), k.String(), want)
		}
	}
	e := &gesbackups.Error{Kind: gesbackups.KindInternal, Message: "a bug"}
	if got := e.Error(); got != "ges: internal error: a bug" {
		t.Errorf("Error() = %q", got)
	}
	e = &gesbackups.Error{Kind: gesbackups.KindAPI, Message: "m", HTTPStatus: 400, Code: "GES.7006", RequestID: "abc"}
	if got := e.Error(); got != "ges: api error (HTTP 400, code GES.7006, request id abc): m" {
		t.Errorf("Error() = %q", got)
	}
	wrapped := fmt.Errorf("listing: %w", e)
	var ge *gesbackups.Error
	if !errors.As(wrapped, &ge) || ge != e {
		t.Error("errors.As does not find a wrapped *Error")
	}
}
