package provider_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// A read whose request context ends (Terraform cancels it on Ctrl-C, through
// StopProvider) returns at once with an error, not when the slow listing
// would have ended; the library call gets the same context.
func TestReadDataSourceCancelled(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken, "--latency-ms", "3000")
	p := newProtocol(t)
	p.configureEmulator(t, e, nil)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	resp, err := p.server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "ges_backups", Config: dynamicValue(t, p.backups, nil)})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	d := oneError(t, resp.Diagnostics)
	if resp.State != nil {
		t.Errorf("a state next to the error")
	}
	if !strings.Contains(strings.ToLower(d.Summary+d.Detail), "cancel") {
		t.Errorf("diagnostic does not say the read was cancelled: %s", describe(d))
	}
	if took > time.Second {
		t.Errorf("the cancelled read returned after %v, want about 200ms", took)
	}
	t.Logf("cancelled read returned after %v", took.Round(time.Millisecond))
}
