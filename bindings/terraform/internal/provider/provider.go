// Package provider implements the Terraform/OpenTofu provider "ges" on
// terraform-plugin-framework: its configuration is the ges-backups library's
// config and its one data source, ges_backups, the library's query (see the
// repository's docs/contract.md, sections Config and Query).
package provider

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// Address is the provider's source address in debug (reattach) mode. With
// dev_overrides any address works.
const Address = "registry.terraform.io/ges-backups/ges"

// New returns a constructor of the provider, as providerserver wants it.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &gesProvider{version: version}
	}
}

type gesProvider struct {
	version string
	// data is what Configure made, for the server's own ReadDataSource.
	data atomic.Pointer[providerData]
}

// configured is the provider's data once Configure succeeded, else nil.
func (p *gesProvider) configured() *providerData { return p.data.Load() }

var _ provider.Provider = (*gesProvider)(nil)

// configKey is a provider attribute: a config key of the library.
type configKey struct {
	name string
	// number: a whole-number attribute with this range; nil for strings.
	number  *wholeNumber
	strings []validator.String
	// secret marks an attribute sensitive even where the library's schema
	// does not (a proxy URL may hold a password).
	secret bool
	// pending is the description and environment variable of a contract 1.1
	// key, used while the linked library's schema does not list it yet.
	pending, pendingEnv string
}

// providerKeys are the library's config keys, in the contract's order, with
// the checks `terraform validate` runs on them (the library's own ranges).
var providerKeys = []configKey{
	{name: "endpoint", strings: []validator.String{httpURL}},
	{name: "region", strings: []validator.String{regionName}},
	{name: "project_id"},
	{name: "access_key"},
	{name: "secret_key"},
	{name: "security_token"},
	{name: "auth_token"},
	{name: "api_version", strings: []validator.String{oneOf{"v1.0", "v2"}}},
	{name: "timeout_ms", number: &wholeNumber{1, 3_600_000}},
	{name: "connect_timeout_ms", number: &wholeNumber{1, 3_600_000}},
	{name: "max_retries", number: &wholeNumber{0, 10}},
	{name: "page_size", number: &wholeNumber{1, 1000}},
	{name: "max_concurrency", number: &wholeNumber{1, 64}},
	{name: "max_connections", number: &wholeNumber{1, 256}},
	{name: "ca_file"},
	{name: "user_agent"},
	{name: "cloud", strings: []validator.String{domainName}, pendingEnv: "HW_CLOUD",
		pending: "Domain of the endpoints derived from the region: https://ges.{region}.{cloud} and https://iam.{region}.{cloud}."},
	{name: "iam_endpoint", strings: []validator.String{httpURL}, pendingEnv: "HUAWEICLOUD_SDK_IAM_ENDPOINT",
		pending: "IAM endpoint where the project id is looked up by region when no source gives it; default https://iam.{region}.{cloud}."},
	{name: "shared_config_file", pendingEnv: "HW_SHARED_CONFIG_FILE",
		pending: "Huawei Cloud CLI (KooCLI) profile file; default ~/.hcloud/config.json, read only when it exists."},
	{name: "profile", pendingEnv: "HW_PROFILE",
		pending: "Profile of the shared config file; default the file's current profile."},
	{name: "credentials_file", pendingEnv: "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
		pending: "The official SDKs' credentials file (INI, section [basic]); default ~/.huaweicloud/credentials."},
	{name: "metadata_endpoint", strings: []validator.String{metadataURL},
		pending: "ECS metadata service, the last source of credentials (the instance agency's temporary credentials); default http://169.254.169.254."},
	{name: "proxy", strings: []validator.String{proxyURL}, secret: true, pendingEnv: "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
		pending: "Proxy URL (http://, https:// or socks5://); \"\" turns the environment's proxy off. Loopback endpoints are never proxied."},
}

// providerKeyNames are the names of providerKeys, for error attribution.
func providerKeyNames() []string {
	out := make([]string, len(providerKeys))
	for i, k := range providerKeys {
		out[i] = k.name
	}
	return out
}

func (p *gesProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ges"
	resp.Version = p.version
}

func (p *gesProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	lib := library()
	attrs := make(map[string]schema.Attribute, len(providerKeys))
	for _, k := range providerKeys {
		e, listed := lib.configEntry(k.name)
		if !listed {
			e = libraryEntry{Name: k.name, Description: k.pending, Sensitive: k.secret}
			if k.pendingEnv != "" {
				e.Env = &k.pendingEnv
			}
		}
		d := providerDescription(e)
		sensitive := e.Sensitive || k.secret
		if k.number != nil {
			attrs[k.name] = schema.NumberAttribute{Optional: true, Sensitive: sensitive, Description: d, MarkdownDescription: d,
				Validators: []validator.Number{*k.number}}
			continue
		}
		attrs[k.name] = schema.StringAttribute{Optional: true, Sensitive: sensitive, Description: d, MarkdownDescription: d,
			Validators: append([]validator.String{noControlCharacters}, k.strings...)}
	}
	const desc = "The ges provider reads Huawei Cloud Graph Engine Service (GES) backups through the ges-backups library. " +
		"Every attribute is optional and falls back to its environment variable, then to its default; " +
		"credentials come from the first source that has them (see Authentication)."
	resp.Schema = schema.Schema{Description: desc, MarkdownDescription: desc, Attributes: attrs}
}

func (p *gesProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, u := range m.unknown() {
		resp.Diagnostics.AddAttributeError(path.Root(u), "Unknown provider configuration value",
			"The ges provider needs "+u+" to be known before it can read backups: set it to a value known at plan time, or leave it out to use its environment variable.")
	}
	checkNumbers(m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	cfg := m.config()
	setLibraryLogger(ctx, &cfg)
	tflog.Debug(ctx, "configuring the ges-backups client", map[string]any{"config": cfg.String(), "library_version": gesbackups.Version()})
	data, err := newProviderData(cfg, m.Region)
	if err != nil {
		addLibraryError(&resp.Diagnostics, "Invalid ges provider configuration", err, providerKeyNames())
		return
	}
	resp.DataSourceData = data
	p.data.Store(data)
}

// checkNumbers repeats the validators' checks of the numbers: a provider
// configured without a validation (a protocol client) gets the same errors
// instead of a silently truncated value.
func checkNumbers(m providerModel, diags *diag.Diagnostics) {
	values := m.values()
	for _, k := range providerKeys {
		v, ok := values[k.name].(types.Number)
		if k.number == nil || !ok || v.IsNull() || v.IsUnknown() {
			continue
		}
		if _, ok := k.number.value(v.ValueBigFloat()); !ok {
			diags.AddAttributeError(path.Root(k.name), "Invalid "+k.name,
				fmt.Sprintf("%s %s, got %s.", k.name, k.number.Description(context.Background()), v.ValueBigFloat().Text('g', 20)))
		}
	}
}

func (p *gesProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newBackupsDataSource}
}

func (p *gesProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}
