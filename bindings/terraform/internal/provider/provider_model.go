package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// providerModel is the provider configuration: the library's config keys
// (docs/contract.md, section Config). A null attribute falls back, inside
// the library, to its environment variable and then to its default.
type providerModel struct {
	Endpoint         types.String `tfsdk:"endpoint"`
	Region           types.String `tfsdk:"region"`
	ProjectID        types.String `tfsdk:"project_id"`
	AccessKey        types.String `tfsdk:"access_key"`
	SecretKey        types.String `tfsdk:"secret_key"`
	SecurityToken    types.String `tfsdk:"security_token"`
	AuthToken        types.String `tfsdk:"auth_token"`
	APIVersion       types.String `tfsdk:"api_version"`
	TimeoutMs        types.Number `tfsdk:"timeout_ms"`
	ConnectTimeoutMs types.Number `tfsdk:"connect_timeout_ms"`
	MaxRetries       types.Number `tfsdk:"max_retries"`
	PageSize         types.Number `tfsdk:"page_size"`
	MaxConcurrency   types.Number `tfsdk:"max_concurrency"`
	MaxConnections   types.Number `tfsdk:"max_connections"`
	CAFile           types.String `tfsdk:"ca_file"`
	UserAgent        types.String `tfsdk:"user_agent"`
	Cloud            types.String `tfsdk:"cloud"`
	IAMEndpoint      types.String `tfsdk:"iam_endpoint"`
	SharedConfigFile types.String `tfsdk:"shared_config_file"`
	Profile          types.String `tfsdk:"profile"`
	CredentialsFile  types.String `tfsdk:"credentials_file"`
	MetadataEndpoint types.String `tfsdk:"metadata_endpoint"`
	Proxy            types.String `tfsdk:"proxy"`
}

// values pairs every attribute with its name, in the order of providerKeys.
func (m providerModel) values() map[string]attr.Value {
	return map[string]attr.Value{
		"endpoint": m.Endpoint, "region": m.Region, "project_id": m.ProjectID,
		"access_key": m.AccessKey, "secret_key": m.SecretKey, "security_token": m.SecurityToken,
		"auth_token": m.AuthToken, "api_version": m.APIVersion, "timeout_ms": m.TimeoutMs,
		"connect_timeout_ms": m.ConnectTimeoutMs, "max_retries": m.MaxRetries, "page_size": m.PageSize,
		"max_concurrency": m.MaxConcurrency, "max_connections": m.MaxConnections, "ca_file": m.CAFile, "user_agent": m.UserAgent,
		"cloud": m.Cloud, "iam_endpoint": m.IAMEndpoint, "shared_config_file": m.SharedConfigFile,
		"profile": m.Profile, "credentials_file": m.CredentialsFile, "metadata_endpoint": m.MetadataEndpoint,
		"proxy": m.Proxy,
	}
}

// unknown names the attributes whose values are not known yet, in
// providerKeys order.
func (m providerModel) unknown() []string {
	values := m.values()
	var out []string
	for _, k := range providerKeys {
		if values[k.name].IsUnknown() {
			out = append(out, k.name)
		}
	}
	return out
}

// config converts the model; null attributes stay unset so that the library
// applies its environment fallback and defaults. The numbers were validated.
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
		TimeoutMs:        intPtr(m.TimeoutMs),
		ConnectTimeoutMs: intPtr(m.ConnectTimeoutMs),
		MaxRetries:       intPtr(m.MaxRetries),
		PageSize:         intPtr(m.PageSize),
		MaxConcurrency:   intPtr(m.MaxConcurrency),
		MaxConnections:   intPtr(m.MaxConnections),
		CAFile:           m.CAFile.ValueString(),
		UserAgent:        m.UserAgent.ValueString(),
		Cloud:            m.Cloud.ValueString(),
		IAMEndpoint:      m.IAMEndpoint.ValueString(),
		SharedConfigFile: m.SharedConfigFile.ValueString(),
		Profile:          m.Profile.ValueString(),
		CredentialsFile:  m.CredentialsFile.ValueString(),
		MetadataEndpoint: m.MetadataEndpoint.ValueStringPointer(),
		// "" is meaningful here (no proxy, whatever the environment says).
		Proxy: m.Proxy.ValueStringPointer(),
	}
}

// intPtr is a validated whole number as an *int; nil when null. A value the
// validator would refuse goes to the library as it is (truncated), whose own
// range check then names the key.
func intPtr(v types.Number) *int {
	if v.IsNull() || v.IsUnknown() || v.ValueBigFloat() == nil {
		return nil
	}
	n, _ := v.ValueBigFloat().Int64()
	i := int(n)
	return &i
}
