package provider_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// docs/ is rendered by HashiCorp's tfplugindocs (docs.sh; run_tests.sh
// checks it for drift). These tests check what tfplugindocs cannot: that the
// hand-written parts agree with the library.

// The Authentication section names the environment variable of every config
// key the library reads from the environment, and every variable the
// provider's schema names (those of the assume_role and
// assume_role_with_oidc blocks included).
func TestDocsNameEveryEnvironmentVariable(t *testing.T) {
	index, err := os.ReadFile(filepath.Join("..", "..", "docs", "index.md"))
	must(t, err)
	auth := string(index)
	if i := strings.Index(auth, "## Authentication"); i >= 0 {
		auth = auth[i:]
	} else {
		t.Fatal("docs/index.md has no Authentication section")
	}
	// The hand-written section, not the schema generated after it, which
	// names every variable of its own.
	if i := strings.Index(auth, "\n## Schema"); i >= 0 {
		auth = auth[:i]
	}
	for _, e := range loadLibSchema(t).Config {
		if e.Env == nil {
			continue
		}
		for _, env := range envNames(*e.Env) {
			if !strings.Contains(auth, env) {
				t.Errorf("docs/index.md does not name %s (the environment variable of %s)", env, e.Name)
			}
		}
	}
	variable := regexp.MustCompile("`([A-Z][A-Z0-9]*_[A-Z0-9_]+)`")
	named := 0
	for _, d := range schemaDescriptions(newProtocol(t).schemas.Provider.Block) {
		for _, m := range variable.FindAllStringSubmatch(d, -1) {
			named++
			if !strings.Contains(auth, m[1]) {
				t.Errorf("docs/index.md does not name %s, which the provider's schema names", m[1])
			}
		}
	}
	for _, env := range []string{"HW_ASSUME_ROLE_IDP_ID", "HW_ASSUME_ROLE_ID_TOKEN_FILE", "HW_ASSUME_ROLE_ID_TOKEN", "HW_ASSUME_ROLE_AGENCY_NAME",
		"HW_ASSUME_ROLE_DOMAIN_NAME", "HW_ASSUME_ROLE_DOMAIN_ID", "HW_ASSUME_ROLE_DURATION"} {
		if !strings.Contains(auth, "`"+env+"`") {
			t.Errorf("docs/index.md does not name %s", env)
		}
	}
	if named < 30 {
		t.Errorf("the provider's schema names %d environment variables: were they read?", named)
	}
	if strings.Contains(auth, "Not supported: assuming a role") {
		t.Error("docs/index.md still says assume_role is not supported")
	}
	for _, section := range []string{"### Static credentials", "### Environment variables", "### Shared configuration file", "### ECS Instance Metadata Service",
		"### Assume role", "### Assume role with OIDC", "### Pod identity", "SSO"} {
		if !strings.Contains(auth, section) {
			t.Errorf("the Authentication section lacks %q", section)
		}
	}
}

// Users do not have the internal contract: no page, template or example
// cites it by section ("SPEC 3").
func TestDocsCiteNoInternalSpec(t *testing.T) {
	spec := regexp.MustCompile(`\bSPEC\s*\d`)
	for _, dir := range []string{"docs", "templates", "examples"} {
		err := filepath.WalkDir(filepath.Join("..", "..", dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if loc := spec.FindIndex(b); loc != nil {
				t.Errorf("%s cites %q", path, b[loc[0]:loc[1]])
			}
			return nil
		})
		must(t, err)
	}
}

// The data source has no offset or limit (it reads every page): its page
// says nothing of them, and documents its timeouts block.
func TestDataSourceDocs(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("..", "..", "docs", "data-sources", "backups.md"))
	must(t, err)
	if loc := regexp.MustCompile("(?i)\\boffset\\b|`limit`|\\blimit\\b and").FindIndex(page); loc != nil {
		t.Errorf("docs/data-sources/backups.md speaks of %q", page[loc[0]:loc[1]])
	}
	for _, want := range []string{"### Nested Schema for `timeouts`", "- `read` (String) Time budget of the read", "timeouts {"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("docs/data-sources/backups.md lacks %q", want)
		}
	}
}

// schemaDescriptions is the description of b and of everything in it.
func schemaDescriptions(b *tfprotov6.SchemaBlock) []string {
	out := []string{b.Description}
	for _, a := range b.Attributes {
		out = append(out, a.Description)
	}
	for _, nested := range b.BlockTypes {
		out = append(out, schemaDescriptions(nested.Block)...)
	}
	return out
}
