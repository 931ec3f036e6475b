package provider

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tflogHandler is an slog.Handler that writes the ges-backups library's log
// records (the Go package's Config.Logger) to Terraform's provider log with
// tflog, at the mapped level: `TF_LOG=DEBUG terraform plan` shows each
// request, INFO each listing's summary, WARN each retry.
//
// Secrets: the library scrubs every record of every secret it holds, from
// whatever source (attributes, environment, profile and credentials files,
// the metadata service, temporary and assumed credentials, signatures,
// tokens it obtained): that is the defence this handler relies on. It masks,
// as a second line, the secrets the provider itself knows of (secretsOf):
// the values of the sensitive attributes and of their environment
// variables, and a proxy URL's password. It cannot mask what only the
// library knows (a secret read from a file or the metadata service).
//
// The records go to the context of the provider's Configure call, which
// carries Terraform's logger and the masks; the library's records may come
// from any thread, after that call returned. terraform-plugin-log masks a
// record by writing into its context's field map
// (hashicorp/terraform-plugin-log#246), a map of the handler's own
// (MaskLogStrings copies it): the handler writes one record at a time, or
// concurrent records crash the provider ("concurrent map iteration and map
// write").
type tflogHandler struct {
	mu     *sync.Mutex // shared by the handler and its WithAttrs/WithGroup copies
	ctx    context.Context
	min    slog.Level
	attrs  []slog.Attr
	groups string // "a.b." prefix of later attribute keys
}

var _ slog.Handler = (*tflogHandler)(nil)

// newTflogHandler logs to ctx, masking the given secrets (empty ones are
// ignored) in messages and fields.
func newTflogHandler(ctx context.Context, secrets ...string) *tflogHandler {
	var masks []string
	for _, s := range secrets {
		if s != "" {
			masks = append(masks, s)
		}
	}
	if len(masks) > 0 {
		ctx = tflog.MaskLogStrings(ctx, masks...)
	}
	return &tflogHandler{mu: &sync.Mutex{}, ctx: ctx, min: providerLogLevel()}
}

// providerLogLevel is the least level Terraform keeps from this provider:
// TF_LOG_PROVIDER, else TF_LOG, as terraform-plugin-log reads them. Below it
// the library is not asked for the records at all.
func providerLogLevel() slog.Level {
	v := os.Getenv("TF_LOG_PROVIDER")
	if v == "" {
		v = os.Getenv("TF_LOG")
	}
	switch strings.ToUpper(v) {
	case "", "OFF":
		return slog.LevelError + 4 // logs off
	case "DEBUG":
		return slog.LevelDebug
	case "INFO":
		return slog.LevelInfo
	case "WARN":
		return slog.LevelWarn
	case "ERROR":
		return slog.LevelError
	}
	return slog.LevelDebug - 4 // TRACE, JSON, or any other value: everything
}

func (h *tflogHandler) Enabled(_ context.Context, level slog.Level) bool { return level >= h.min }

func (h *tflogHandler) Handle(_ context.Context, r slog.Record) error {
	fields := make(map[string]any, len(h.attrs)+r.NumAttrs())
	for _, a := range h.attrs {
		addField(fields, "", a)
	}
	r.Attrs(func(a slog.Attr) bool {
		addField(fields, h.groups, a)
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case r.Level >= slog.LevelError:
		tflog.Error(h.ctx, r.Message, fields)
	case r.Level >= slog.LevelWarn:
		tflog.Warn(h.ctx, r.Message, fields)
	case r.Level >= slog.LevelInfo:
		tflog.Info(h.ctx, r.Message, fields)
	case r.Level >= slog.LevelDebug:
		tflog.Debug(h.ctx, r.Message, fields)
	default:
		tflog.Trace(h.ctx, r.Message, fields)
	}
	return nil
}

func (h *tflogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append([]slog.Attr(nil), h.attrs...)
	for _, a := range attrs {
		a.Key = h.groups + a.Key
		c.attrs = append(c.attrs, a)
	}
	return &c
}

func (h *tflogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.groups = h.groups + name + "."
	return &c
}

// addField flattens a (possibly grouped) attribute into fields.
func addField(fields map[string]any, prefix string, a slog.Attr) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		for _, g := range v.Group() {
			addField(fields, prefix+a.Key+".", g)
		}
		return
	}
	if a.Key == "" {
		return
	}
	fields[prefix+a.Key] = v.Any()
}
