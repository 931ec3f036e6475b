package provider

import (
	"context"
	"fmt"
	"math/big"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The validators run at `terraform validate` (and before every plan), each
// diagnostic on its attribute. They repeat the library's own checks so that
// a mistake shows before any credential or network is needed; the library
// still checks everything at Configure and Read. Messages name the attribute
// and what it takes, and echo no string value (a string may be a secret
// pasted in the wrong place).

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

// oneOf accepts exactly one of the listed values (case matters: the service's
// values are lower case).
type oneOf []string

var _ validator.String = oneOf{}

func (v oneOf) Description(context.Context) string {
	return "must be one of " + strings.Join(v, ", ")
}

func (v oneOf) MarkdownDescription(ctx context.Context) string {
	return "must be one of `" + strings.Join(v, "`, `") + "`"
}

func (v oneOf) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, ok := range v {
		if req.ConfigValue.ValueString() == ok {
			return
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
		req.Path.String()+" "+v.Description(ctx)+".")
}

// matches accepts strings matching re, described by what.
type matches struct {
	re   *regexp.Regexp
	what string
}

var _ validator.String = matches{}

func (v matches) Description(context.Context) string { return "must be " + v.what }

func (v matches) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v matches) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || v.re.MatchString(req.ConfigValue.ValueString()) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
		req.Path.String()+" "+v.Description(ctx)+".")
}

// noControlCharacters refuses CR, LF, NUL and the other control characters,
// which cannot go into an HTTP header (the library refuses them too).
var noControlCharacters = matches{regexp.MustCompile(`^[^\x00-\x1f\x7f]*$`), "free of control characters (CR, LF, NUL, ...)"}

var (
	// A region name, as the library takes it: cn-north-4, eu-west-101.
	regionName = matches{regexp.MustCompile(`^[a-z0-9-]+$`), "a region name such as cn-north-4 (lower-case letters, digits and -)"}
	// A domain for derived endpoints: myhuaweicloud.com.
	domainName = matches{regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$`), "a domain name such as myhuaweicloud.com (no scheme, no path)"}
	// A base URL: the library wants http:// or https://.
	httpURL = matches{regexp.MustCompile(`^https?://[^/?#@\s]+`), "an http:// or https:// URL with a host"}
	// The metadata service's URL, or "" to turn that credentials source off.
	metadataURL = matches{regexp.MustCompile(`^$|^https?://[^/?#@\s]+`), `an http:// or https:// URL with a host, or "" to turn the metadata service off`}
	// A proxy URL, or "" to turn the environment's proxy off.
	proxyURL = matches{regexp.MustCompile(`^$|^(https?|socks5)://\S+$`), `an http://, https:// or socks5:// URL, or "" for no proxy`}
)

// wholeNumber accepts integers from min to max. Provider integers are
// types.Number attributes checked by it rather than Int64 attributes: the
// framework turns a fractional value for an Int64 into an internal error
// ("%!s(*big.Float=10.5)") before any validator could run.
type wholeNumber struct{ min, max int64 }

var _ validator.Number = wholeNumber{}

func (v wholeNumber) Description(context.Context) string {
	return fmt.Sprintf("must be a whole number from %d to %d", v.min, v.max)
}

func (v wholeNumber) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v wholeNumber) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, ok := v.value(req.ConfigValue.ValueBigFloat()); !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
			fmt.Sprintf("%s %s, got %s.", req.Path, v.Description(ctx), req.ConfigValue.ValueBigFloat().Text('g', 20)))
	}
}

// value is f as an int64 when it is whole and within range.
func (v wholeNumber) value(f *big.Float) (int64, bool) {
	if f == nil || !f.IsInt() {
		return 0, false
	}
	n, acc := f.Int64()
	if acc != big.Exact || n < v.min || n > v.max {
		return 0, false
	}
	return n, true
}
