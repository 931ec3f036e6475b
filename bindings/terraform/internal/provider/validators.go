package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// notEmpty rejects "": the library reads an empty filter as no filter, so an
// explicit empty string would silently match everything.
type notEmpty struct{}

var _ validator.String = notEmpty{}

func (notEmpty) Description(context.Context) string {
	return "must not be empty; leave the argument out to not filter on it"
}

func (v notEmpty) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v notEmpty) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.ConfigValue.ValueString() != "" {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Empty filter",
		"The argument "+req.Path.String()+" "+v.Description(ctx)+".")
}
