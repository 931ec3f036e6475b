package provider

import (
	"testing"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// clientFor reuses the provider's client for its own region and makes one
// client per other region.
func TestClientFor(t *testing.T) {
	cfg := gesbackups.Config{Endpoint: "http://127.0.0.1:1", Region: "cn-north-4", ProjectID: "p", AuthToken: "t"}
	d, err := newProviderData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"", "cn-north-4"} {
		if c, err := d.clientFor(r); err != nil || c != d.client {
			t.Errorf("clientFor(%q) = %p, %v; want the provider's client", r, c, err)
		}
	}
	a, err := d.clientFor("cn-south-1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := d.clientFor("cn-south-1")
	if a == d.client || a != b {
		t.Errorf("another region: %p, then %p; provider's %p", a, b, d.client)
	}
}

// Without a region attribute the provider's region is HW_REGION_NAME, as
// the library reads it: a data source naming that region uses the
// provider's client.
func TestProviderRegionFromEnvironment(t *testing.T) {
	t.Setenv("HW_REGION_NAME", "cn-north-4")
	d, err := newProviderData(gesbackups.Config{Endpoint: "http://127.0.0.1:1", ProjectID: "p", AuthToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := d.clientFor("cn-north-4"); err != nil || c != d.client {
		t.Errorf("clientFor(HW_REGION_NAME's region) = %p, %v; want the provider's client", c, err)
	}
}
