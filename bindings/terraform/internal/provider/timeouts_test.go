package provider_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// readTimeout is a timeouts block with read = budget.
func (p *protocol) readTimeout(budget string) tftypes.Value {
	typ := p.backups.AttributeTypes["timeouts"].(tftypes.Object)
	return tftypes.NewValue(typ, map[string]tftypes.Value{"read": str(budget)})
}

var readTimeoutPath = tftypes.NewAttributePath().WithAttributeName("timeouts").WithAttributeName("read")

// timeouts { read = "2s" } ends a listing that would take 4 s, with a
// diagnostic on timeouts.read that says so, and the library starts no
// request after it.
func TestReadTimeout(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken, "--latency-ms", "4000")
	p := newProtocol(t)
	p.configureEmulator(t, e, nil)

	start := time.Now()
	state, diags := p.read(t, map[string]tftypes.Value{"timeouts": p.readTimeout("2s")})
	took := time.Since(start)
	d := oneError(t, diags)
	t.Logf("read ended after %v: %s", took.Round(time.Millisecond), describe(d))
	if state != nil {
		t.Errorf("a state next to the error: %v", state)
	}
	if d.Summary != "Listing GES backups failed: timed out" || !strings.Contains(d.Detail, `timeouts.read = "2s"`) {
		t.Errorf("the diagnostic does not say the read timed out after its budget: %s", describe(d))
	}
	if d.Attribute == nil || !d.Attribute.Equal(readTimeoutPath) {
		t.Errorf("diagnostic at %v, want timeouts.read", d.Attribute)
	}
	// The listing alone takes 4 s: less is its 2 s budget at work.
	if took < 2*time.Second || took >= 4*time.Second {
		t.Errorf("the read took %v, want its 2 s budget", took)
	}
	atEnd := e.Requests(t)
	time.Sleep(1500 * time.Millisecond)
	if after := e.Requests(t); after != atEnd {
		t.Errorf("the library kept listing after the deadline: %d requests, then %d", atEnd, after)
	}
}

// A budget the listing fits in changes nothing but the state's timeouts;
// without the block there is no budget.
func TestReadTimeoutMet(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken, "--latency-ms", "300")
	p := newProtocol(t)
	p.configureEmulator(t, e, nil)
	state := p.mustRead(t, map[string]tftypes.Value{"timeouts": p.readTimeout("1m"), "most_recent": boolean(true)})
	if got := backupIDs(t, state); len(got) != 1 || got[0] != sampleAuto {
		t.Errorf("backups %v", got)
	}
	if timeouts, _ := state["timeouts"].(map[string]any); timeouts["read"] != "1m" {
		t.Errorf("timeouts in state = %v, want read = 1m as configured", state["timeouts"])
	}
	if state = p.mustRead(t, nil); state["timeouts"] != nil || len(backupIDs(t, state)) != 3 {
		t.Errorf("without timeouts: %v", state)
	}
}

// `terraform validate` refuses a budget that is not a positive duration, on
// timeouts.read; a read that was not validated refuses it too.
func TestValidateReadTimeout(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", testToken)
	p := newProtocol(t)
	p.configureEmulator(t, e, nil)
	noDiagnostics(t, "ValidateDataResourceConfig", p.validate(t, map[string]tftypes.Value{"timeouts": p.readTimeout("90s")}))
	for budget, want := range map[string]string{"soon": "Valid time units", "0s": "must be a positive duration", "-1m": "must be a positive duration"} {
		d := oneError(t, p.validate(t, map[string]tftypes.Value{"timeouts": p.readTimeout(budget)}))
		if d.Attribute == nil || !d.Attribute.Equal(readTimeoutPath) || !strings.Contains(d.Detail, want) {
			t.Errorf("validate %q: %s, want %q on timeouts.read", budget, describe(d), want)
		}
		_, diags := p.read(t, map[string]tftypes.Value{"timeouts": p.readTimeout(budget)})
		if d := oneError(t, diags); d.Attribute == nil || !d.Attribute.Equal(readTimeoutPath) {
			t.Errorf("read %q: %s, want a diagnostic on timeouts.read", budget, describe(d))
		}
	}
	if n := e.Requests(t); n != 0 {
		t.Errorf("%d requests for reads with invalid budgets", n)
	}
}
