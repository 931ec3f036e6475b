package provider

import (
	"os"
	"sync"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// providerData is what Configure hands to the data sources: the provider's
// client, and the clients of other regions, made on first use, as
// terraform-provider-huaweicloud data sources with their own `region` do.
type providerData struct {
	cfg    gesbackups.Config
	region string // the provider's region: its attribute, else HW_REGION_NAME
	client *gesbackups.Client

	mu       sync.Mutex
	byRegion map[string]*gesbackups.Client
}

func newProviderData(cfg gesbackups.Config) (*providerData, error) {
	client, err := gesbackups.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	region := cfg.Region
	if region == "" {
		region = os.Getenv("HW_REGION_NAME") // the library's own fallback
	}
	return &providerData{cfg: cfg, region: region, client: client, byRegion: map[string]*gesbackups.Client{}}, nil
}

// clientFor is the client of region: the provider's own when region is "" or
// the provider's region, else one made once for that region.
func (d *providerData) clientFor(region string) (*gesbackups.Client, error) {
	if region == "" || region == d.region {
		return d.client, nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.byRegion[region]; ok {
		return c, nil
	}
	// The provider's project_id, and the projects of HW_PROJECT_ID, a
	// profile or a credentials file, belong to the provider's region: the
	// region's own is looked up in IAM, as terraform-provider-huaweicloud
	// does. An endpoint set on the provider serves every region (a private
	// deployment, an emulator), as custom endpoints do there; without one,
	// the library derives the region's endpoints.
	c, err := gesbackups.NewClient(d.cfg.ForRegion(region))
	if err != nil {
		return nil, err
	}
	d.byRegion[region] = c
	return c, nil
}
