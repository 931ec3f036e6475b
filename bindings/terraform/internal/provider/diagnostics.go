package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// addLibraryError turns an error of the library into an error diagnostic that
// carries its kind, HTTP status, error code and request id. When the message
// of an invalid-argument error names exactly one of attrs (the library quotes
// key names: "page_size"), the diagnostic points at that attribute.
func addLibraryError(diags *diag.Diagnostics, summary string, err error, attrs []string) {
	if errors.Is(err, context.Canceled) {
		diags.AddError(summary+": cancelled",
			"Terraform cancelled the read (an interrupt such as Ctrl-C); the library stopped listing and started no further request.")
		return
	}
	var e *gesbackups.Error
	if !errors.As(err, &e) {
		diags.AddError(summary, err.Error())
		return
	}
	detail := libraryErrorDetail(e)
	summary = fmt.Sprintf("%s: %s error", summary, e.Kind)
	if e.Kind == gesbackups.KindInvalidArgument {
		if attr, ok := namedAttribute(e.Message, attrs); ok {
			diags.AddAttributeError(path.Root(attr), summary, detail)
			return
		}
	}
	diags.AddError(summary, detail)
}

// addLibraryErrorOn is addLibraryError with the diagnostic on attr.
func addLibraryErrorOn(diags *diag.Diagnostics, summary string, err error, attr path.Path) {
	var e *gesbackups.Error
	if !errors.As(err, &e) {
		diags.AddAttributeError(attr, summary, err.Error())
		return
	}
	diags.AddAttributeError(attr, fmt.Sprintf("%s: %s error", summary, e.Kind), libraryErrorDetail(e))
}

// libraryErrorDetail is the message followed by one line per field, "none"
// for those the error does not have.
func libraryErrorDetail(e *gesbackups.Error) string {
	orNone := func(s string) string {
		if s == "" {
			return "none"
		}
		return s
	}
	status := "none"
	if e.HTTPStatus != 0 {
		status = fmt.Sprint(e.HTTPStatus)
	}
	return fmt.Sprintf("%s\n\nKind: %s\nHTTP status: %s\nError code: %s\nRequest ID: %s",
		e.Message, e.Kind, status, orNone(e.Code), orNone(e.RequestID))
}

func namedAttribute(message string, attrs []string) (string, bool) {
	found := ""
	for _, a := range attrs {
		if strings.Contains(message, `"`+a+`"`) {
			if found != "" {
				return "", false
			}
			found = a
		}
	}
	return found, found != ""
}
