// Package provider implements the Terraform/OpenTofu provider "ges" on
// terraform-plugin-framework: its configuration is the ges-backups library's
// config (SPEC 3) and its one data source, ges_backups, the library's query
// (SPEC 4).
package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
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
}

var _ provider.Provider = (*gesProvider)(nil)

// providerStringKeys and providerIntKeys are the config keys of SPEC 3, in
// its order, by type.
var (
	providerStringKeys = []string{"endpoint", "region", "project_id", "access_key", "secret_key", "security_token", "auth_token", "api_version", "ca_file", "user_agent"}
	providerIntKeys    = []string{"timeout_ms", "connect_timeout_ms", "max_retries", "page_size", "max_concurrency"}
)

// providerModel is the provider configuration. A null attribute falls back,
// inside the library, to its environment variable and then to its default.
type providerModel struct {
	Endpoint         types.String `tfsdk:"endpoint"`
	Region           types.String `tfsdk:"region"`
	ProjectID        types.String `tfsdk:"project_id"`
	AccessKey        types.String `tfsdk:"access_key"`
	SecretKey        types.String `tfsdk:"secret_key"`
	SecurityToken    types.String `tfsdk:"security_token"`
	AuthToken        types.String `tfsdk:"auth_token"`
	APIVersion       types.String `tfsdk:"api_version"`
	CAFile           types.String `tfsdk:"ca_file"`
	UserAgent        types.String `tfsdk:"user_agent"`
	TimeoutMs        types.Int64  `tfsdk:"timeout_ms"`
	ConnectTimeoutMs types.Int64  `tfsdk:"connect_timeout_ms"`
	MaxRetries       types.Int64  `tfsdk:"max_retries"`
	PageSize         types.Int64  `tfsdk:"page_size"`
	MaxConcurrency   types.Int64  `tfsdk:"max_concurrency"`
}

func (p *gesProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ges"
	resp.Version = p.version
}

func (p *gesProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	lib := library()
	attrs := make(map[string]schema.Attribute, len(providerStringKeys)+len(providerIntKeys))
	for _, k := range providerStringKeys {
		e := lib.configEntry(k)
		d := providerDescription(e)
		attrs[k] = schema.StringAttribute{Optional: true, Sensitive: e.Sensitive, Description: d, MarkdownDescription: d}
	}
	for _, k := range providerIntKeys {
		e := lib.configEntry(k)
		d := providerDescription(e)
		attrs[k] = schema.Int64Attribute{Optional: true, Sensitive: e.Sensitive, Description: d, MarkdownDescription: d}
	}
	const desc = "The ges provider reads Huawei Cloud Graph Engine Service (GES) backups through the ges-backups library. " +
		"Every attribute is optional and falls back to its environment variable, then to its default; " +
		"either `access_key` and `secret_key`, or `auth_token`, must end up set."
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
	if resp.Diagnostics.HasError() {
		return
	}

	cfg := m.config()
	tflog.Debug(ctx, "configuring the ges-backups client", map[string]any{"config": cfg.String(), "library_version": gesbackups.Version()})
	client, err := gesbackups.NewClient(cfg)
	if err != nil {
		addLibraryError(&resp.Diagnostics, "Invalid ges provider configuration", err, append(append([]string{}, providerStringKeys...), providerIntKeys...))
		return
	}
	resp.DataSourceData = client
}

func (p *gesProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newBackupsDataSource}
}

func (p *gesProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}

// unknown names the attributes whose values are not known yet, in SPEC order.
func (m providerModel) unknown() []string {
	var out []string
	for _, a := range []struct {
		name string
		v    interface{ IsUnknown() bool }
	}{
		{"endpoint", m.Endpoint}, {"region", m.Region}, {"project_id", m.ProjectID},
		{"access_key", m.AccessKey}, {"secret_key", m.SecretKey}, {"security_token", m.SecurityToken},
		{"auth_token", m.AuthToken}, {"api_version", m.APIVersion}, {"ca_file", m.CAFile},
		{"user_agent", m.UserAgent}, {"timeout_ms", m.TimeoutMs}, {"connect_timeout_ms", m.ConnectTimeoutMs},
		{"max_retries", m.MaxRetries}, {"page_size", m.PageSize}, {"max_concurrency", m.MaxConcurrency},
	} {
		if a.v.IsUnknown() {
			out = append(out, a.name)
		}
	}
	return out
}

// config converts the model; null attributes stay unset so that the library
// applies the environment fallback and defaults of SPEC 3.
func (m providerModel) config() gesbackups.Config {
	return gesbackups.Config{
		Endpoint:         m.Endpoint.ValueString(),
		Region:           m.Region.ValueString(),
		ProjectID:        m.ProjectID.ValueString(),
		AccessKey:        m.AccessKey.ValueString(),
		SecretKey:        m.SecretKey.ValueString(),
		SecurityToken:    m.SecurityToken.ValueString(),
		AuthToken:        m.AuthToken.ValueString(),
		APIVersion:       m.APIVersion.ValueString(),
		CAFile:           m.CAFile.ValueString(),
		UserAgent:        m.UserAgent.ValueString(),
		TimeoutMs:        intPtr(m.TimeoutMs),
		ConnectTimeoutMs: intPtr(m.ConnectTimeoutMs),
		MaxRetries:       intPtr(m.MaxRetries),
		PageSize:         intPtr(m.PageSize),
		MaxConcurrency:   intPtr(m.MaxConcurrency),
	}
}

func intPtr(v types.Int64) *int {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	n := int(v.ValueInt64())
	return &n
}
