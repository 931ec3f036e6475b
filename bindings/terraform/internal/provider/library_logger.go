package provider

import (
	"context"
	"log/slog"
	"net/url"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// setLibraryLogger routes the library's log records (requests, listing
// summaries, retries, errors) to Terraform's provider log through tflog:
// `TF_LOG=DEBUG terraform plan` then shows each request the library makes.
// The records go to ctx (Configure's), with every secret of cfg masked
// should one ever get through.
func setLibraryLogger(ctx context.Context, cfg *gesbackups.Config) {
	cfg.Logger = slog.New(newTflogHandler(ctx, cfg.SecretKey, cfg.SecurityToken, cfg.AuthToken, proxyPassword(cfg.Proxy)))
}

// proxyPassword is the password of a proxy URL, a secret, or "".
func proxyPassword(proxy *string) string {
	if proxy == nil {
		return ""
	}
	u, err := url.Parse(*proxy)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}
