package gesbackups

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
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
	// Without Config's methods: json.Marshal of a Config redacts.
	type plain Config
	return json.Marshal(plain(c))
}

// redacted stands in for a credential that is set.
const redacted = "REDACTED"

// String describes the Config with Go's syntax, leaving out unset fields,
// with secrets shown as "REDACTED" when set, and the user and password of a
// URL (Proxy, the endpoints) as "REDACTED".
func (c Config) String() string {
	return describe("gesbackups.Config", c.redactedFields())
}

// GoString is String for %#v.
func (c Config) GoString() string {
	return c.String()
}

// MarshalJSON gives the fields String shows, redacted as String redacts them,
// as a JSON object keyed by config key (the form of the library's config
// JSON): json.Marshal of a Config never shows a secret.
func (c Config) MarshalJSON() ([]byte, error) {
	return marshalFields(c.redactedFields())
}

// LogValue gives slog the fields String shows, redacted as String redacts
// them, as a group keyed by config key: a Config logged with any slog
// handler shows no secret.
func (c Config) LogValue() slog.Value {
	return logValue(c.redactedFields())
}

// configField is a set field of a Config (or of a list's element) as
// String, MarshalJSON and LogValue show it.
type configField struct {
	name  string // the Go field's
	key   string // the config key's
	value any    // redacted: string, int, int64, bool, or [][]configField for a list
}

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
		v, err := json.Marshal(f.value)
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
		attrs[i] = slog.Any(f.key, f.value)
	}
	return slog.GroupValue(attrs...)
}

// The appenders of redactedFields (schema_gen.go): each appends a field
// that is set.

func appendString(out []configField, name, key, v string, show func(string) string) []configField {
	if v == "" {
		return out
	}
	return append(out, configField{name, key, show(v)})
}

func appendStringPtr(out []configField, name, key string, v *string, show func(string) string) []configField {
	if v == nil {
		return out
	}
	return append(out, configField{name, key, show(*v)})
}

func appendValue[T int | int64 | bool](out []configField, name, key string, v *T) []configField {
	if v == nil {
		return out
	}
	return append(out, configField{name, key, *v})
}

func appendSecret[T int | int64 | bool](out []configField, name, key string, v *T) []configField {
	if v == nil {
		return out
	}
	return append(out, configField{name, key, redacted})
}

func shown(v string) string  { return v }
func hidden(v string) string { return redacted }

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
