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
	// A proxy URL.
	proxyURL = matches{regexp.MustCompile(`^(https?|socks5)://\S+$`), "an http://, https:// or socks5:// URL"}
)

// stringFormats are the provider's own checks of the form of some config
// keys' values, which the library's schema does not describe (it checks
// them at Configure). TestStringFormatsNameLibraryKeys keeps the names
// honest.
var stringFormats = map[string]validator.String{
	"endpoint":          httpURL,
	"iam_endpoint":      httpURL,
	"metadata_endpoint": httpURL,
	"region":            regionName,
	"cloud":             domainName,
	"proxy":             proxyURL,
}

// isURLKey says whether a key's value is a URL.
func isURLKey(name string) bool {
	f := stringFormats[name]
	return f == httpURL || f == proxyURL
}

// stringValidators are the checks of a string key: no control characters,
// the library's allowed values, the provider's format check; "" passes the
// last two when it turns the key off.
func stringValidators(e libraryEntry) []validator.String {
	var checks []validator.String
	if len(e.Allowed) > 0 {
		checks = append(checks, oneOf(e.Allowed))
	}
	if f, ok := stringFormats[e.Name]; ok {
		checks = append(checks, f)
	}
	out := []validator.String{noControlCharacters}
	for _, c := range checks {
		if e.EmptyString == "off" {
			c = offOr{c}
		}
		out = append(out, c)
	}
	return out
}

// offOr accepts "", which turns its key off, and what inner accepts.
type offOr struct{ inner validator.String }

var _ validator.String = offOr{}

func (v offOr) Description(ctx context.Context) string {
	return v.inner.Description(ctx) + `, or "" to turn it off`
}

func (v offOr) MarkdownDescription(ctx context.Context) string {
	return v.inner.MarkdownDescription(ctx) + ", or `\"\"` to turn it off"
}

func (v offOr) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && req.ConfigValue.ValueString() == "" {
		return
	}
	inner := &validator.StringResponse{}
	v.inner.ValidateString(ctx, req, inner)
	if inner.Diagnostics.HasError() {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), req.Path.String()+" "+v.Description(ctx)+".")
	}
}

// wholeNumber accepts integers within the library's bounds (nil: none).
// Provider integers are types.Number attributes checked by it rather than
// Int64 attributes: the framework turns a fractional value for an Int64
// into an internal error ("%!s(*big.Float=10.5)") before any validator
// could run.
type wholeNumber struct{ min, max *big.Int }

var _ validator.Number = wholeNumber{}

// numberRange is the check of an integer key.
func numberRange(e libraryEntry) wholeNumber { return wholeNumber{e.Minimum, e.Maximum} }

func (v wholeNumber) Description(context.Context) string {
	switch {
	case v.min != nil && v.max != nil:
		return fmt.Sprintf("must be a whole number from %d to %d", v.min, v.max)
	case v.min != nil:
		return fmt.Sprintf("must be a whole number of at least %d", v.min)
	case v.max != nil:
		return fmt.Sprintf("must be a whole number of at most %d", v.max)
	}
	return "must be a whole number"
}

func (v wholeNumber) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v wholeNumber) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, ok := v.value(req.ConfigValue.ValueBigFloat()); !ok {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), v.message(req.Path.String(), req.ConfigValue.ValueBigFloat()))
	}
}

// message says what name takes, and what it got.
func (v wholeNumber) message(name string, got *big.Float) string {
	return fmt.Sprintf("%s %s, got %s.", name, v.Description(context.Background()), got.Text('g', 20))
}

// value is f as an integer when it is whole and within range.
func (v wholeNumber) value(f *big.Float) (*big.Int, bool) {
	if f == nil || !f.IsInt() {
		return nil, false
	}
	n, _ := f.Int(nil)
	if (v.min != nil && n.Cmp(v.min) < 0) || (v.max != nil && n.Cmp(v.max) > 0) {
		return nil, false
	}
	return n, true
}
