package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// The data source's arguments (SPEC 4 without offset, limit and deadline_ms)
// and the attributes of one backup, by type, in SPEC order.
var (
	queryStringArgs     = []string{"graph_id", "graph_name", "backup_id", "name", "status", "backup_method"}
	queryBoolArgs       = []string{"most_recent"}
	backupStringAttrs   = []string{"id", "name", "backup_method", "graph_id", "graph_name", "graph_status", "graph_size_type_index", "data_store_version", "arch", "status", "start_time", "end_time"}
	backupIntAttrs      = []string{"start_timestamp", "end_timestamp", "size", "duration"}
	backupBoolAttrs     = []string{"encrypted"}
	queryArgsNotExposed = []string{"offset", "limit", "deadline_ms"}
)

type backupsDataSource struct {
	client *gesbackups.Client
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
			Validators: []validator.String{notEmpty{}},
		}
	}
	for _, k := range queryBoolArgs {
		desc := lib.queryEntry(k).Description
		attrs[k] = schema.BoolAttribute{Optional: true, Description: desc, MarkdownDescription: desc}
	}

	desc := lib.resultEntry("id").Description
	attrs["id"] = schema.StringAttribute{Computed: true, Description: desc, MarkdownDescription: desc}
	desc = lib.resultEntry("total_count").Description
	attrs["total_count"] = schema.Int64Attribute{Computed: true, Description: desc, MarkdownDescription: desc}

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
	client, ok := req.ProviderData.(*gesbackups.Client)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data", fmt.Sprintf("expected *gesbackups.Client, got %T; this is a bug in the provider", req.ProviderData))
		return
	}
	d.client = client
}

func (d *backupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m backupsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.client == nil {
		resp.Diagnostics.AddError("Provider not configured", "The ges provider has no client; this is a bug in the provider or in how it was started.")
		return
	}

	q := m.query()
	tflog.Debug(ctx, "listing GES backups", map[string]any{
		"graph_id": q.GraphID, "graph_name": q.GraphName, "backup_id": q.BackupID, "name": q.Name,
		"status": q.Status, "backup_method": q.BackupMethod, "most_recent": q.MostRecent,
	})
	list, err := d.client.ListBackups(ctx, q)
	if err != nil {
		addLibraryError(&resp.Diagnostics, "Listing GES backups failed", err, append(append([]string{}, queryStringArgs...), queryBoolArgs...))
		return
	}
	tflog.Debug(ctx, "listed GES backups", map[string]any{"id": list.ID, "total_count": list.TotalCount, "backups": len(list.Backups)})

	m.setResult(list)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
