package gesbackups

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
)

// Config, its fields and their JSON tags are generated from the library's
// schema: schema_gen.go. This file holds what is written once for every key.

// marshal is the library's config JSON of c: the set fields under their
// keys, secrets included.
func (c Config) marshal() ([]byte, error) {
	if err := checkUTF8(c.stringValues); err != nil {
		return nil, err
	}
	return marshalFields(c.fields(true))
}

// ForRegion is the same config for another region: Region is region, and
// the project is looked up in IAM for it (GET /v3/projects?name=REGION,
// with the same credentials), since ProjectID and the projects the
// environment (HW_PROJECT_ID, HUAWEICLOUD_SDK_PROJECT_ID), a profile or a
// credentials file give belong to the original region. Endpoint and
// IAMEndpoint, when set (here or by their environment variables), serve
// every region; otherwise the library derives both from the region (and
// Cloud). Everything else is kept: credentials, agencies, limits, Logger.
//
// The config JSON then holds "project_id": "" (which the library reads as
// "look it up"), and String shows ProjectID:"" (looked up in IAM); setting
// ProjectID on the result gives that project instead. Like every Config,
// the result is a value: copies keep all of this.
func (c Config) ForRegion(region string) Config {
	c.Region = region
	c.ProjectID = ""
	c.projectIDOff = true
	// Not shared with c: the caller may change either one's agencies.
	c.AssumeRole = slices.Clone(c.AssumeRole)
	return c
}

// redacted stands in for a credential that is set.
const redacted = "REDACTED"

// String describes the Config with Go's syntax, leaving out unset fields,
// with secrets shown as "REDACTED" when set, and the user and password of a
// URL (Proxy, the endpoints) as "REDACTED".
func (c Config) String() string {
	return describe("gesbackups.Config", c.fields(false))
}

// GoString is String for %#v.
func (c Config) GoString() string {
	return c.String()
}

// MarshalJSON gives the fields String shows, redacted as String redacts them,
// as a JSON object keyed by config key (the form of the library's config
// JSON): json.Marshal of a Config never shows a secret.
func (c Config) MarshalJSON() ([]byte, error) {
	return marshalFields(c.fields(false))
}

// LogValue gives slog the fields String shows, redacted as String redacts
// them, as a group keyed by config key: a Config logged with any slog
// handler shows no secret.
func (c Config) LogValue() slog.Value {
	return logValue(c.fields(false))
}

// configField is a set field of a Config (or of a list's element) as
// String, MarshalJSON and LogValue show it.
type configField struct {
	name  string // the Go field's
	key   string // the config key's
	value any    // string, int, int64, bool, offString, or [][]configField for a list
}

// offString is a plain string field's "" that is sent (plainStrings of
// internal/schemagen): "" to the library, JSON and slog, "" and what it
// means (the string) to String.
type offString string

func describe(typeName string, fields []configField) string {
	var b strings.Builder
	b.WriteString(typeName)
	b.WriteString("{")
	for i, f := range fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(f.name)
		b.WriteString(":")
		switch v := f.value.(type) {
		case string:
			fmt.Fprintf(&b, "%q", v)
		case offString:
			fmt.Fprintf(&b, `"" (%s)`, string(v))
		case [][]configField:
			b.WriteString("[")
			for j, e := range v {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(describe("", e))
			}
			b.WriteString("]")
		default:
			fmt.Fprint(&b, v)
		}
	}
	b.WriteString("}")
	return b.String()
}

func marshalFields(fields []configField) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(f.key)
		b.Write(key)
		b.WriteByte(':')
		if elems, ok := f.value.([][]configField); ok {
			b.WriteByte('[')
			for j, e := range elems {
				if j > 0 {
					b.WriteByte(',')
				}
				v, err := marshalFields(e)
				if err != nil {
					return nil, err
				}
				b.Write(v)
			}
			b.WriteByte(']')
			continue
		}
		value := f.value
		if _, ok := value.(offString); ok {
			value = ""
		}
		v, err := json.Marshal(value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func logValue(fields []configField) slog.Value {
	attrs := make([]slog.Attr, len(fields))
	for i, f := range fields {
		if elems, ok := f.value.([][]configField); ok {
			group := make([]slog.Attr, len(elems))
			for j, e := range elems {
				group[j] = slog.Attr{Key: fmt.Sprint(j), Value: logValue(e)}
			}
			attrs[i] = slog.Attr{Key: f.key, Value: slog.GroupValue(group...)}
			continue
		}
		if _, ok := f.value.(offString); ok {
			attrs[i] = slog.String(f.key, "")
			continue
		}
		attrs[i] = slog.Any(f.key, f.value)
	}
	return slog.GroupValue(attrs...)
}

// The appenders of fields (schema_gen.go): each appends a field that is
// set, its value shown as reveal says (show: shown, hidden or urlShown).

func appendString(out []configField, name, key, v string, show func(string, bool) string, reveal bool) []configField {
	if v == "" {
		return out
	}
	return append(out, configField{name, key, show(v, reveal)})
}

func appendStringPtr(out []configField, name, key string, v *string, show func(string, bool) string, reveal bool) []configField {
	if v == nil {
		return out
	}
	return append(out, configField{name, key, show(*v, reveal)})
}

// appendPlainOff is appendString for a plain string field whose "" is sent
// when off is true; note says what that "" means.
func appendPlainOff(out []configField, name, key, v string, off bool, note string, show func(string, bool) string, reveal bool) []configField {
	if v == "" && off {
		return append(out, configField{name, key, offString(note)})
	}
	return appendString(out, name, key, v, show, reveal)
}

func appendValue[T int | int64 | bool](out []configField, name, key string, v *T) []configField {
	if v == nil {
		return out
	}
	return append(out, configField{name, key, *v})
}

func appendSecret[T int | int64 | bool](out []configField, name, key string, v *T, reveal bool) []configField {
	if v == nil {
		return out
	}
	if reveal {
		return append(out, configField{name, key, *v})
	}
	return append(out, configField{name, key, redacted})
}

func shown(v string, _ bool) string { return v }

func hidden(v string, reveal bool) string {
	if reveal {
		return v
	}
	return redacted
}

func urlShown(v string, reveal bool) string {
	if reveal {
		return v
	}
	return redactURL(v)
}

// redactURL is a URL with its user and password, if any, as REDACTED. A
// value with an "@" that is not such a URL is REDACTED whole.
func redactURL(v string) string {
	u, err := url.Parse(v)
	if err == nil && u.User != nil {
		u.User = url.User(redacted)
		return u.String()
	}
	if strings.Contains(v, "@") {
		return redacted
	}
	return v
}
