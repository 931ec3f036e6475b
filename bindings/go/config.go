package gesbackups

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

// Config configures a Client. Every field is optional: an empty string or a
// nil pointer falls back to the key's environment variable, then to the
// library's default (see docs/configuration.md: GES_ENDPOINT,
// HW_REGION_NAME, HW_PROJECT_ID, HW_ACCESS_KEY, HW_SECRET_KEY, ...). Either
// AccessKey+SecretKey or AuthToken must end up set, from this Config, the
// environment, a profile or credentials file, or the ECS metadata service.
//
// A Config never prints its secrets: String and GoString show SecretKey,
// SecurityToken and AuthToken as "REDACTED" when set, and the user and
// password of a URL (Proxy, the endpoints) as "REDACTED" (the access key is
// an identifier, not a secret, and is shown), so fmt's %v, %+v, %s and %#v
// are safe to log.
type Config struct {
	Endpoint, Region, ProjectID, AccessKey, SecretKey, SecurityToken, AuthToken, APIVersion, CAFile, UserAgent string
	TimeoutMs, ConnectTimeoutMs, MaxRetries, PageSize, MaxConcurrency                                          *int // nil: the default

	// MaxConnections bounds the requests in flight at once over every
	// goroutine sharing the client (1 to 256; nil: 32).
	MaxConnections *int

	// Cloud is the domain of derived endpoints (default myhuaweicloud.com):
	// https://ges.{region}.{cloud} and https://iam.{region}.{cloud}.
	Cloud string
	// IAMEndpoint is where the project id is looked up when no source gives
	// one (default https://iam.{region}.{cloud}).
	IAMEndpoint string
	// SharedConfigFile is the Huawei Cloud CLI (KooCLI) profile file
	// (default ~/.hcloud/config.json) and Profile the profile in it (default:
	// the file's current one).
	SharedConfigFile, Profile string
	// CredentialsFile is the official SDKs' INI file (default
	// ~/.huaweicloud/credentials).
	CredentialsFile string
	// MetadataEndpoint is the ECS metadata service, the last source of
	// credentials. nil: http://169.254.169.254; a pointer to "": never asked
	// (tests, and machines that are not ECS instances).
	MetadataEndpoint *string
	// Proxy is the proxy URL (http://, https:// or socks5://). nil: the
	// environment's (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY); a pointer
	// to "": no proxy, whatever the environment says. Loopback endpoints are
	// never proxied.
	Proxy *string

	// Logger receives the library's log records (nil: none): DEBUG for each
	// request (method, path and query, status, attempt, milliseconds), INFO
	// for each listing's summary, WARN for each retry, clock-skew correction
	// and listing restart, ERROR for the error a call returns. No record
	// holds a secret. Records come from the library's threads, concurrently.
	Logger *slog.Logger
}

// configJSON is the config JSON of the library; absent fields are left out so
// that the library applies its environment fallback and defaults.
type configJSON struct {
	Endpoint         string  `json:"endpoint,omitempty"`
	Region           string  `json:"region,omitempty"`
	ProjectID        string  `json:"project_id,omitempty"`
	AccessKey        string  `json:"access_key,omitempty"`
	SecretKey        string  `json:"secret_key,omitempty"`
	SecurityToken    string  `json:"security_token,omitempty"`
	AuthToken        string  `json:"auth_token,omitempty"`
	APIVersion       string  `json:"api_version,omitempty"`
	TimeoutMs        *int    `json:"timeout_ms,omitempty"`
	ConnectTimeoutMs *int    `json:"connect_timeout_ms,omitempty"`
	MaxRetries       *int    `json:"max_retries,omitempty"`
	PageSize         *int    `json:"page_size,omitempty"`
	MaxConcurrency   *int    `json:"max_concurrency,omitempty"`
	MaxConnections   *int    `json:"max_connections,omitempty"`
	CAFile           string  `json:"ca_file,omitempty"`
	UserAgent        string  `json:"user_agent,omitempty"`
	Cloud            string  `json:"cloud,omitempty"`
	IAMEndpoint      string  `json:"iam_endpoint,omitempty"`
	SharedConfigFile string  `json:"shared_config_file,omitempty"`
	Profile          string  `json:"profile,omitempty"`
	CredentialsFile  string  `json:"credentials_file,omitempty"`
	MetadataEndpoint *string `json:"metadata_endpoint,omitempty"`
	Proxy            *string `json:"proxy,omitempty"` // "" is sent: no proxy
}

func (c Config) marshal() ([]byte, error) {
	if err := validUTF8(map[string]string{
		"endpoint": c.Endpoint, "region": c.Region, "project_id": c.ProjectID, "access_key": c.AccessKey,
		"secret_key": c.SecretKey, "security_token": c.SecurityToken, "auth_token": c.AuthToken,
		"api_version": c.APIVersion, "ca_file": c.CAFile, "user_agent": c.UserAgent,
		"cloud": c.Cloud, "iam_endpoint": c.IAMEndpoint, "shared_config_file": c.SharedConfigFile,
		"profile": c.Profile, "credentials_file": c.CredentialsFile, "metadata_endpoint": deref(c.MetadataEndpoint),
		"proxy": deref(c.Proxy),
	}); err != nil {
		return nil, err
	}
	return json.Marshal(c.toJSON())
}

func (c Config) toJSON() configJSON {
	return configJSON{
		Endpoint:         c.Endpoint,
		Region:           c.Region,
		ProjectID:        c.ProjectID,
		AccessKey:        c.AccessKey,
		SecretKey:        c.SecretKey,
		SecurityToken:    c.SecurityToken,
		AuthToken:        c.AuthToken,
		APIVersion:       c.APIVersion,
		TimeoutMs:        c.TimeoutMs,
		ConnectTimeoutMs: c.ConnectTimeoutMs,
		MaxRetries:       c.MaxRetries,
		PageSize:         c.PageSize,
		MaxConcurrency:   c.MaxConcurrency,
		MaxConnections:   c.MaxConnections,
		CAFile:           c.CAFile,
		UserAgent:        c.UserAgent,
		Cloud:            c.Cloud,
		IAMEndpoint:      c.IAMEndpoint,
		SharedConfigFile: c.SharedConfigFile,
		Profile:          c.Profile,
		CredentialsFile:  c.CredentialsFile,
		MetadataEndpoint: c.MetadataEndpoint,
		Proxy:            c.Proxy,
	}
}

// deref is *p, "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// redacted stands in for a credential that is set.
const redacted = "REDACTED"

// String describes the Config, leaving out unset fields, with SecretKey,
// SecurityToken and AuthToken shown as "REDACTED" when set, and the user and
// password of a URL (Proxy, the endpoints) as "REDACTED".
func (c Config) String() string {
	return c.describe("gesbackups.Config")
}

// GoString is String for %#v.
func (c Config) GoString() string {
	return c.describe("gesbackups.Config")
}

// MarshalJSON gives the fields String shows, redacted as String redacts them,
// as a JSON object keyed by field name: json.Marshal of a Config never shows
// a secret.
func (c Config) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range c.redactedFields() {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(f.name)
		value, err := json.Marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(name)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// LogValue gives slog the fields String shows, redacted as String redacts
// them, as a group: a Config logged with any slog handler shows no secret.
func (c Config) LogValue() slog.Value {
	fields := c.redactedFields()
	attrs := make([]slog.Attr, len(fields))
	for i, f := range fields {
		attrs[i] = slog.Any(f.name, f.value)
	}
	return slog.GroupValue(attrs...)
}

func (c Config) describe(typeName string) string {
	var b strings.Builder
	b.WriteString(typeName)
	b.WriteString("{")
	for i, f := range c.redactedFields() {
		if i > 0 {
			b.WriteString(", ")
		}
		if s, ok := f.value.(string); ok {
			fmt.Fprintf(&b, "%s:%q", f.name, s)
		} else {
			fmt.Fprintf(&b, "%s:%v", f.name, f.value)
		}
	}
	b.WriteString("}")
	return b.String()
}

// configField is a set field of a Config as String, MarshalJSON and LogValue
// show it: its Go name and its value, redacted.
type configField struct {
	name  string
	value any // string, int, int64 or bool
}

// redactedFields lists the set fields of c, in the order of the config keys,
// with secrets as "REDACTED" and the user and password of URLs as
// "REDACTED".
func (c Config) redactedFields() []configField {
	var out []configField
	str := func(name, v string, show func(string) string) {
		if v != "" {
			out = append(out, configField{name, show(v)})
		}
	}
	strPtr := func(name string, v *string, show func(string) string) {
		if v != nil {
			out = append(out, configField{name, show(*v)})
		}
	}
	num := func(name string, v *int) {
		if v != nil {
			out = append(out, configField{name, *v})
		}
	}
	str("Endpoint", c.Endpoint, redactURL)
	str("Region", c.Region, shown)
	str("ProjectID", c.ProjectID, shown)
	str("AccessKey", c.AccessKey, shown)
	str("SecretKey", c.SecretKey, hidden)
	str("SecurityToken", c.SecurityToken, hidden)
	str("AuthToken", c.AuthToken, hidden)
	str("APIVersion", c.APIVersion, shown)
	str("CAFile", c.CAFile, shown)
	str("UserAgent", c.UserAgent, shown)
	str("Cloud", c.Cloud, shown)
	str("IAMEndpoint", c.IAMEndpoint, redactURL)
	str("SharedConfigFile", c.SharedConfigFile, shown)
	str("Profile", c.Profile, shown)
	str("CredentialsFile", c.CredentialsFile, shown)
	strPtr("MetadataEndpoint", c.MetadataEndpoint, redactURL)
	strPtr("Proxy", c.Proxy, redactURL)
	num("TimeoutMs", c.TimeoutMs)
	num("ConnectTimeoutMs", c.ConnectTimeoutMs)
	num("MaxRetries", c.MaxRetries)
	num("PageSize", c.PageSize)
	num("MaxConcurrency", c.MaxConcurrency)
	num("MaxConnections", c.MaxConnections)
	return out
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
