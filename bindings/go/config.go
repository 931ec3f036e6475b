package gesbackups

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Config configures a Client. Every field is optional: an empty string or a
// nil pointer falls back to the field's environment variable (see SPEC 3:
// GES_ENDPOINT, HW_REGION_NAME, HW_PROJECT_ID, HW_ACCESS_KEY, HW_SECRET_KEY,
// HW_SECURITY_TOKEN, HW_AUTH_TOKEN, HW_CA_FILE), then to the library's
// default. Either AccessKey+SecretKey or AuthToken must end up set.
//
// A Config never prints its secrets: String and GoString show SecretKey,
// SecurityToken and AuthToken as "REDACTED" when set (the access key is an
// identifier, not a secret, and is shown), so fmt's %v, %+v, %s and %#v are
// safe to log.
type Config struct {
	Endpoint, Region, ProjectID, AccessKey, SecretKey, SecurityToken, AuthToken, APIVersion, CAFile, UserAgent string
	TimeoutMs, ConnectTimeoutMs, MaxRetries, PageSize, MaxConcurrency                                          *int // nil: the default
}

// configJSON is the config JSON of SPEC 3; absent fields are left out so that
// the library applies its environment fallback and defaults.
type configJSON struct {
	Endpoint         string `json:"endpoint,omitempty"`
	Region           string `json:"region,omitempty"`
	ProjectID        string `json:"project_id,omitempty"`
	AccessKey        string `json:"access_key,omitempty"`
	SecretKey        string `json:"secret_key,omitempty"`
	SecurityToken    string `json:"security_token,omitempty"`
	AuthToken        string `json:"auth_token,omitempty"`
	APIVersion       string `json:"api_version,omitempty"`
	TimeoutMs        *int   `json:"timeout_ms,omitempty"`
	ConnectTimeoutMs *int   `json:"connect_timeout_ms,omitempty"`
	MaxRetries       *int   `json:"max_retries,omitempty"`
	PageSize         *int   `json:"page_size,omitempty"`
	MaxConcurrency   *int   `json:"max_concurrency,omitempty"`
	CAFile           string `json:"ca_file,omitempty"`
	UserAgent        string `json:"user_agent,omitempty"`
}

func (c Config) marshal() ([]byte, error) {
	if err := validUTF8(map[string]string{
		"endpoint": c.Endpoint, "region": c.Region, "project_id": c.ProjectID, "access_key": c.AccessKey,
		"secret_key": c.SecretKey, "security_token": c.SecurityToken, "auth_token": c.AuthToken,
		"api_version": c.APIVersion, "ca_file": c.CAFile, "user_agent": c.UserAgent,
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
		CAFile:           c.CAFile,
		UserAgent:        c.UserAgent,
	}
}

// redacted stands in for a credential that is set.
const redacted = "REDACTED"

// String describes the Config, leaving out unset fields, with SecretKey,
// SecurityToken and AuthToken shown as "REDACTED" when set.
func (c Config) String() string {
	return c.describe("gesbackups.Config")
}

// GoString is String for %#v.
func (c Config) GoString() string {
	return c.describe("gesbackups.Config")
}

func (c Config) describe(typeName string) string {
	var b strings.Builder
	b.WriteString(typeName)
	b.WriteString("{")
	first := true
	str := func(name, v string, secret bool) {
		if v == "" {
			return
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		if secret {
			v = redacted
		}
		fmt.Fprintf(&b, "%s:%q", name, v)
	}
	num := func(name string, v *int) {
		if v == nil {
			return
		}
		if !first {
			b.WriteString(", ")
		}
		first = false
		fmt.Fprintf(&b, "%s:%d", name, *v)
	}
	str("Endpoint", c.Endpoint, false)
	str("Region", c.Region, false)
	str("ProjectID", c.ProjectID, false)
	str("AccessKey", c.AccessKey, false)
	str("SecretKey", c.SecretKey, true)
	str("SecurityToken", c.SecurityToken, true)
	str("AuthToken", c.AuthToken, true)
	str("APIVersion", c.APIVersion, false)
	str("CAFile", c.CAFile, false)
	str("UserAgent", c.UserAgent, false)
	num("TimeoutMs", c.TimeoutMs)
	num("ConnectTimeoutMs", c.ConnectTimeoutMs)
	num("MaxRetries", c.MaxRetries)
	num("PageSize", c.PageSize)
	num("MaxConcurrency", c.MaxConcurrency)
	b.WriteString("}")
	return b.String()
}
