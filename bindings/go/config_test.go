package gesbackups_test

import (
	"fmt"
	"strings"
	"testing"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// A Config prints its secrets as REDACTED with every verb.
func TestConfigNeverPrintsSecrets(t *testing.T) {
	cfg := gesbackups.Config{
		Endpoint:      "http://127.0.0.1:1",
		ProjectID:     "p",
		AccessKey:     "AKIDENTIFIER",
		SecretKey:     "sk-value-1",
		SecurityToken: "st-value-2",
		AuthToken:     "tok-value-3",
		PageSize:      ptr(50),
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		for _, v := range []any{cfg, &cfg} {
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{"sk-value-1", "st-value-2", "tok-value-3"} {
				if strings.Contains(out, secret) {
					t.Errorf("%s of %T shows a secret: %s", verb, v, out)
				}
			}
			for _, shown := range []string{"AKIDENTIFIER", "REDACTED", "PageSize:50", "127.0.0.1:1"} {
				if !strings.Contains(out, shown) {
					t.Errorf("%s of %T lacks %q: %s", verb, v, shown, out)
				}
			}
		}
	}
	if got := fmt.Sprint(gesbackups.Config{}); got != "gesbackups.Config{}" {
		t.Errorf("empty Config prints as %q", got)
	}
}

// Errors about credentials never carry them.
func TestErrorsNeverCarrySecrets(t *testing.T) {
	const ak, sk = "TESTAKEMULATOR", "the-right-secret-key"
	e := emulatortest.Start(t, "--access-key", ak, "--secret-key", sk)
	const wrong = "a-wrong-secret-key-value"
	c := newClient(t, gesbackups.Config{Endpoint: e.URL, ProjectID: testProject, AccessKey: ak, SecretKey: wrong, MaxRetries: ptr(0)})
	_, err := c.ListBackups(t.Context(), gesbackups.Query{})
	ge := asError(t, err, gesbackups.KindAPI)
	if ge.HTTPStatus != 401 || ge.Code != "APIGW.0301" {
		t.Errorf("got %#v, want HTTP 401 APIGW.0301", ge)
	}
	for _, s := range []string{fmt.Sprint(err), fmt.Sprintf("%#v", ge), ge.Message} {
		if strings.Contains(s, wrong) || strings.Contains(s, sk) {
			t.Errorf("an error shows a secret key: %s", s)
		}
	}
}
