package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// queryArgsNotExposed are the library's query arguments the data source
// does not have: it always reads every page (offset, limit), and its time
// budget is timeouts.read (deadline_ms).
var queryArgsNotExposed = []string{"offset", "limit", "deadline_ms"}

// The data source's own attributes and descriptions, beside the library's.
const (
	regionDescription = "Region to read backups from when it is not the provider's. The data source then uses a client of its own " +
		"for that region: the region's GES and IAM endpoints (unless the provider sets `endpoint`, `iam_endpoint`), and the region's " +
		"project, looked up in IAM by region name: the provider's `project_id`, and the project of `HW_PROJECT_ID`, a profile or a " +
		"credentials file, belong to the provider's region. Default: the provider's region."
	// The library's wording ("backupCount as the service reported it") is
	// exact but easy to misread as the length of backups.
	totalCountDescription = "The service's count of backups (its backupCount) before any filter of this data source: every backup " +
		"of the project, or of `graph_id`'s graph when set. It is not the number of elements of `backups`; use `length(backups)` for that."
	// The library's wording speaks of offset and limit, which the data
	// source does not have.
	backupsDescription     = "The backups that match every argument, newest first (largest `start_timestamp`), then by `id`."
	readTimeoutDescription = "Time budget of the read, retries and all, as a duration such as `\"30s\"` or `\"2m\"` " +
		"(units `s`, `m`, `h`): when it is spent, the listing stops and the read fails with a diagnostic saying it timed out. " +
		"Default: no limit beyond the provider's `timeout_ms` per request."
)

// backupsBindings tie the data source to the library's Go types.
type backupsBindings struct {
	query    []fieldBinding // the arguments, to gesbackups.Query
	state    []stateField   // the result, from gesbackups.BackupList
	computed map[string]bool
}

var backupsFields = sync.OnceValue(func() backupsBindings {
	lib := library()
	query, err := bindFields(queryArgs(lib), reflect.TypeFor[gesbackups.Query]())
	if err != nil {
		panic("the Go package and the library's schema disagree: " + err.Error())
	}
	result, err := bindFields(lib.Result, reflect.TypeFor[gesbackups.BackupList]())
	if err != nil {
		panic("the Go package and the library's schema disagree: " + err.Error())
	}
	computed := map[string]bool{}
	for _, e := range lib.Result {
		computed[e.Name] = true
	}
	return backupsBindings{query: query, state: newStateFields(result), computed: computed}
})

// queryArgs are the library's query arguments the data source has.
func queryArgs(lib *librarySchema) []libraryEntry {
	var out []libraryEntry
	for _, e := range lib.Query {
		if !slices.Contains(queryArgsNotExposed, e.Name) {
			out = append(out, e)
		}
	}
	return out
}

// queryArgNames name the arguments, for error attribution.
func queryArgNames() []string {
	var out []string
	for _, b := range backupsFields().query {
		out = append(out, b.entry.Name)
	}
	return out
}

type backupsDataSource struct {
	data *providerData
}

var (
	_ datasource.DataSource                   = (*backupsDataSource)(nil)
	_ datasource.DataSourceWithConfigure      = (*backupsDataSource)(nil)
	_ datasource.DataSourceWithValidateConfig = (*backupsDataSource)(nil)
)

func newBackupsDataSource() datasource.DataSource {
	return &backupsDataSource{}
}

func (d *backupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backups"
}

func (d *backupsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = backupsSchema(ctx, library())
}

// backupsSchema has the library's query arguments (but queryArgsNotExposed)
// as optional attributes, its result as computed ones, and the data
// source's own region and timeouts.
func backupsSchema(ctx context.Context, lib *librarySchema) schema.Schema {
	attrs := map[string]schema.Attribute{}
	for _, e := range queryArgs(lib) {
		attrs[e.Name] = queryAttribute(e)
	}
	attrs["region"] = schema.StringAttribute{
		Optional: true, Description: regionDescription, MarkdownDescription: regionDescription,
		Validators: []validator.String{regionName},
	}
	for _, e := range lib.Result {
		attrs[e.Name] = resultAttribute(e)
	}
	attrs["total_count"] = schema.Int64Attribute{Computed: true, Description: totalCountDescription, MarkdownDescription: totalCountDescription}
	if backups, ok := attrs["backups"].(schema.ListNestedAttribute); ok {
		backups.Description, backups.MarkdownDescription = backupsDescription, backupsDescription
		attrs["backups"] = backups
	}

	const about = "Lists the GES backups of the project, pages through them all, and keeps those that match every argument given. " +
		"Without arguments it returns every backup, newest first."
	return schema.Schema{
		Description: about, MarkdownDescription: about, Attributes: attrs,
		Blocks: map[string]schema.Block{"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{ReadDescription: readTimeoutDescription})},
	}
}

// queryAttribute is an optional argument; a string must not be empty (the
// library reads "" as no filter) and must be one of the allowed values.
func queryAttribute(e libraryEntry) schema.Attribute {
	d := e.Description
	switch e.Type {
	case "string":
		validators := []validator.String{notEmpty{}}
		if len(e.Allowed) > 0 {
			validators = append(validators, oneOf(e.Allowed))
		}
		return schema.StringAttribute{Optional: true, Description: d, MarkdownDescription: d, Validators: validators}
	case "integer":
		return schema.NumberAttribute{Optional: true, Description: d, MarkdownDescription: d, Validators: []validator.Number{numberRange(e)}}
	case "bool":
		return schema.BoolAttribute{Optional: true, Description: d, MarkdownDescription: d}
	}
	panic("the library's query argument " + e.Name + " has the type " + e.Type + ", which the provider does not know")
}

// resultAttribute is a computed attribute; a list is a list of objects.
func resultAttribute(e libraryEntry) schema.Attribute {
	d := e.Description
	switch e.Type {
	case "string":
		return schema.StringAttribute{Computed: true, Description: d, MarkdownDescription: d}
	case "integer":
		return schema.Int64Attribute{Computed: true, Description: d, MarkdownDescription: d}
	case "bool":
		return schema.BoolAttribute{Computed: true, Description: d, MarkdownDescription: d}
	case "list":
		nested := map[string]schema.Attribute{}
		for _, a := range e.Attributes {
			nested[a.Name] = resultAttribute(a)
		}
		return schema.ListNestedAttribute{Computed: true, Description: d, MarkdownDescription: d,
			NestedObject: schema.NestedAttributeObject{Attributes: nested}}
	}
	panic("the library's result attribute " + e.Name + " has the type " + e.Type + ", which the provider does not know")
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

// ValidateConfig refuses a read budget that parses but is not positive (the
// timeouts module's validator checks that it parses).
func (d *backupsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var t timeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	if resp.Diagnostics.HasError() || !budgetSet(t) {
		return
	}
	if budget, err := time.ParseDuration(t.Attributes()["read"].(types.String).ValueString()); err == nil {
		checkBudget(budget, &resp.Diagnostics)
	}
}

// Read is the framework's entry to the one read path, readBackupsState,
// which the provider's server (NewServer) calls directly: its msgpack state
// is decoded here for the framework.
func (d *backupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	state, diags := readBackupsState(ctx, d.data, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	v, err := (&tfprotov6.DynamicValue{MsgPack: state}).Unmarshal(req.Config.Raw.Type())
	if err != nil {
		resp.Diagnostics.AddError("Decoding the state failed", err.Error()+"; this is a bug in the provider")
		return
	}
	resp.State.Raw = v
}
