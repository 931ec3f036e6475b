package provider

import (
	"context"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// setLibraryLogger routes the library's log records (requests, listing
// summaries, retries, errors) to Terraform's provider log through tflog:
// `TF_LOG=DEBUG terraform plan` then shows each request the library makes.
// The records go to ctx (Configure's), with secrets masked (see
// tflogHandler for what that covers).
func setLibraryLogger(ctx context.Context, cfg *gesbackups.Config, secrets []string) {
	cfg.Logger = slog.New(newTflogHandler(ctx, secrets...))
}

// secretsOf are the secrets the provider knows of, for masking: the values
// of the sensitive keys among the attribute values (in list blocks too) and
// of those keys' environment variables (in either case, as the proxy
// variables are read). A key whose value is a URL (proxy) is sensitive for
// the user:password@ it may hold: only the password is masked, not the
// proxy's address nor NO_PROXY's hosts.
func secretsOf(keys []libraryEntry, values map[string]tftypes.Value) []string {
	var out []string
	for _, e := range keys {
		v, given := values[e.Name]
		given = given && v.IsKnown() && !v.IsNull()
		if e.Type == "list" && given {
			var elems []tftypes.Value
			_ = v.As(&elems)
			for _, elem := range elems {
				var attrs map[string]tftypes.Value
				_ = elem.As(&attrs)
				out = append(out, secretsOf(e.Attributes, attrs)...)
			}
			continue
		}
		if !e.Sensitive {
			continue
		}
		var found []string
		if given && v.Type().Is(tftypes.String) {
			var s string
			_ = v.As(&s)
			found = append(found, s)
		}
		for _, env := range e.envNames() {
			found = append(found, os.Getenv(env), os.Getenv(strings.ToLower(env)))
		}
		for _, s := range found {
			if isURLKey(e.Name) {
				s = urlPassword(s)
			}
			if s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// urlPassword is the password of a URL, or "".
func urlPassword(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}
