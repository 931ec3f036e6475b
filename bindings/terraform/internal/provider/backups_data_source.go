package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The data source's arguments (the library's query without offset, limit and
// deadline_ms; see docs/contract.md, section Query) and the attributes of one
// backup, by type, in the contract's order.
var (
	queryStringArgs     = []string{"graph_id", "graph_name", "backup_id", "name", "status", "backup_method"}
	queryBoolArgs       = []string{"most_recent"}
	backupStringAttrs   = []string{"id", "name", "backup_method", "graph_id", "graph_name", "graph_status", "graph_size_type_index", "data_store_version", "arch", "status", "start_time", "end_time"}
	backupIntAttrs      = []string{"start_timestamp", "end_timestamp", "size", "duration"}
	backupBoolAttrs     = []string{"encrypted"}
	queryArgsNotExposed = []string{"offset", "limit", "deadline_ms"}
)

// queryValidators are the checks of an argument beyond notEmpty: the
// values the library accepts (it refuses others with INVALID_ARGUMENT).
var queryValidators = map[string][]validator.String{
	"status":        {oneOf{"backing_up", "success", "failed"}},
	"backup_method": {oneOf{"auto", "manual"}},
}

// The data source's own attributes and descriptions, beside the library's.
const (
	regionDescription = "Region to read backups from when it is not the provider's. The data source then uses a client of its own " +
		"for that region: the region's endpoint (unless the provider sets `endpoint`) and the region's project, looked up by region name " +
		"(the provider's `project_id` belongs to the provider's region). Default: the provider's region."
	// The library's wording ("backupCount as the service reported it") is
	// exact but easy to misread as the length of backups.
	totalCountDescription = "The service's count of backups (its backupCount) before any filter of this data source: every backup " +
		"of the project, or of `graph_id`'s graph when set. It is not the number of elements of `backups`; use `length(backups)` for that."
)

type backupsDataSource struct {
	data *providerData
}

var (
	_ datasource.DataSource              = (*backupsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*backupsDataSource)(nil)
)

func newBackupsDataSource() datasource.DataSource {
	return &backupsDataSource{}
}

func (d *backupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backups"
}

func (d *backupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	lib := library()
	attrs := map[string]schema.Attribute{}
	for _, k := range queryStringArgs {
		desc := lib.queryEntry(k).Description
		attrs[k] = schema.StringAttribute{
			Optional: true, Description: desc, MarkdownDescription: desc,
			Validators: append([]validator.String{notEmpty{}}, queryValidators[k]...),
		}
	}
	for _, k := range queryBoolArgs {
		desc := lib.queryEntry(k).Description
		attrs[k] = schema.BoolAttribute{Optional: true, Description: desc, MarkdownDescription: desc}
	}
	attrs["region"] = schema.StringAttribute{
		Optional: true, Description: regionDescription, MarkdownDescription: regionDescription,
		Validators: []validator.String{regionName},
	}

	desc := lib.resultEntry("id").Description
	attrs["id"] = schema.StringAttribute{Computed: true, Description: desc, MarkdownDescription: desc}
	attrs["total_count"] = schema.Int64Attribute{Computed: true, Description: totalCountDescription, MarkdownDescription: totalCountDescription}

	backup := map[string]schema.Attribute{}
	for _, k := range backupStringAttrs {
		desc := lib.backupEntry(k).Description
		backup[k] = schema.StringAttribute{Computed: true, Description: desc, MarkdownDescription: desc}
	}
	for _, k := range backupIntAttrs {
		desc := lib.backupEntry(k).Description
		backup[k] = schema.Int64Attribute{Computed: true, Description: desc, MarkdownDescription: desc}
	}
	for _, k := range backupBoolAttrs {
		desc := lib.backupEntry(k).Description
		backup[k] = schema.BoolAttribute{Computed: true, Description: desc, MarkdownDescription: desc}
	}
	desc = lib.resultEntry("backups").Description
	attrs["backups"] = schema.ListNestedAttribute{
		Computed: true, Description: desc, MarkdownDescription: desc,
		NestedObject: schema.NestedAttributeObject{Attributes: backup},
	}

	const about = "Lists the GES backups of the project, pages through them all, and keeps those that match every argument given. " +
		"Without arguments it returns every backup, newest first."
	resp.Schema = schema.Schema{Description: about, MarkdownDescription: about, Attributes: attrs}
}

func (d *backupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return // the provider is not configured yet (validation)
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T; this is a bug in the provider", req.ProviderData))
		return
	}
	d.data = data
}

// Read is the framework's path; the provider's server (NewServer) answers
// ReadDataSource itself, faster, with the same readBackups.
func (d *backupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.AddError("Provider not configured", "The ges provider has no client; this is a bug in the provider or in how it was started.")
		return
	}
	list, _ := readBackups(ctx, d.data, req.Config.Raw, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	typ, ok := resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		resp.Diagnostics.AddError("Unexpected schema type", "the data source's schema is not an object; this is a bug in the provider")
		return
	}
	state, err := backupsState(typ, req.Config.Raw, list)
	if err != nil {
		resp.Diagnostics.AddError("Building the state failed", err.Error()+"; this is a bug in the provider")
		return
	}
	resp.State.Raw = state
}
