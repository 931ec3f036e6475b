package provider

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// readBackupsState is the data source's read: the query of a ges_backups
// configuration (an object of the data source's type) through the
// library, within its timeouts.read budget, and the state as the plugin
// protocol's msgpack. Failures are diagnostics, and no state.
func readBackupsState(ctx context.Context, data *providerData, config tftypes.Value) ([]byte, diag.Diagnostics) {
	var diags diag.Diagnostics
	if data == nil {
		diags.AddError("Provider not configured", "The ges provider has no client: Terraform reads a data source only after configuring its provider. This is a bug in the CLI or the provider.")
		return nil, diags
	}
	if !config.IsFullyKnown() {
		// Terraform reads a data source only once its arguments are known.
		diags.AddError("Unknown argument", "A ges_backups argument is not known yet; Terraform should have deferred this read. This is a bug in the CLI or the provider.")
		return nil, diags
	}
	var args map[string]tftypes.Value
	if err := config.As(&args); err != nil {
		diags.AddError("Unexpected configuration", err.Error()+"; this is a bug in the provider")
		return nil, diags
	}
	var q gesbackups.Query
	setFields(reflect.ValueOf(&q).Elem(), backupsFields().query, args, path.Empty(), &diags)
	budget := readTimeout(ctx, args["timeouts"], &diags)
	var region string
	if v := args["region"]; !v.IsNull() {
		_ = v.As(&region)
	}
	if diags.HasError() {
		return nil, diags
	}

	client, err := data.clientFor(region)
	if err != nil {
		// The library names a config key; the argument behind this client is region.
		addLibraryErrorOn(&diags, "No ges client for the region", err, path.Root("region"))
		return nil, diags
	}
	fields := map[string]any{"region": region, "timeouts.read": budget.String()}
	for _, b := range backupsFields().query {
		fields[b.entry.Name] = reflect.ValueOf(q).Field(b.field.Index[0]).Interface()
	}
	tflog.Debug(ctx, "listing GES backups", fields)
	// ctx is the request's: Terraform cancels it on Ctrl-C, and the library
	// then stops the listing. Its deadline, if any, becomes the library's
	// deadline_ms.
	if budget > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, budget)
		defer cancel()
	}
	list, err := client.ListBackups(ctx, q)
	if err != nil {
		addReadError(&diags, err, budget)
		return nil, diags
	}
	tflog.Debug(ctx, "listed GES backups", map[string]any{"id": list.ID, "total_count": list.TotalCount, "backups": len(list.Backups)})

	state, err := encodeBackupsState(args, list)
	if err != nil {
		diags.AddError("Encoding the state failed", err.Error()+"; this is a bug in the provider")
		return nil, diags
	}
	tflog.Debug(ctx, "encoded the ges_backups state", map[string]any{"bytes": len(state)})
	return state, diags
}

// readTimeoutPath is the attribute of the read's time budget.
var readTimeoutPath = path.Root("timeouts").AtName("read")

// timeoutsType is the type of the timeouts block, as the module declares it.
var timeoutsType = sync.OnceValue(func() attr.Type { return timeouts.Block(context.Background()).Type() })

// readTimeout is the timeouts block's read budget, 0 when not set (no limit).
func readTimeout(ctx context.Context, v tftypes.Value, diags *diag.Diagnostics) time.Duration {
	value, err := timeoutsType().ValueFromTerraform(ctx, v)
	if err != nil {
		diags.AddAttributeError(path.Root("timeouts"), "Unexpected timeouts", err.Error()+"; this is a bug in the provider")
		return 0
	}
	t, ok := value.(timeouts.Value)
	if !ok {
		diags.AddAttributeError(path.Root("timeouts"), "Unexpected timeouts", fmt.Sprintf("a %T; this is a bug in the provider", value))
		return 0
	}
	budget, d := t.Read(ctx, 0)
	for _, e := range d.Errors() {
		// A client that skipped validation: the module's message, on the attribute.
		diags.AddAttributeError(readTimeoutPath, e.Summary(), e.Detail())
	}
	if !d.HasError() && budgetSet(t) {
		checkBudget(budget, diags)
	}
	return budget
}

// budgetSet says whether t has a read budget.
func budgetSet(t timeouts.Value) bool {
	read, ok := t.Attributes()["read"].(types.String)
	return ok && !read.IsNull() && !read.IsUnknown()
}

// checkBudget refuses a budget that is not positive (the timeouts module
// takes "0s" and "-1m"), which would otherwise mean no limit.
func checkBudget(budget time.Duration, diags *diag.Diagnostics) {
	if budget <= 0 {
		diags.AddAttributeError(readTimeoutPath, "Invalid timeouts.read",
			"timeouts.read must be a positive duration such as \"30s\"; leave it out for no limit.")
	}
}

// addReadError is the diagnostic of a failed listing: one that says the read
// timed out, on timeouts.read, when its budget ran out; else the library's.
func addReadError(diags *diag.Diagnostics, err error, budget time.Duration) {
	if budget > 0 && errors.Is(err, context.DeadlineExceeded) {
		detail := fmt.Sprintf("The read did not finish within its time budget, timeouts.read = %q: the library stopped listing "+
			"and started no further request. Raise timeouts.read, or leave it out for no limit.", budget.String())
		var e *gesbackups.Error
		if errors.As(err, &e) {
			detail += "\n\n" + libraryErrorDetail(e)
		}
		diags.AddAttributeError(readTimeoutPath, "Listing GES backups failed: timed out", detail)
		return
	}
	addLibraryError(diags, "Listing GES backups failed", err, queryArgNames())
}
