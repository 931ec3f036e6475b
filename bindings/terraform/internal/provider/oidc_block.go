package provider

import (
	"math/big"
	"os"
	"reflect"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// oidcBlockName is the provider's own block for OIDC federation, as
// terraform-provider-huaweicloud names it. The library has no key of that
// name: the block maps to its idp_id, id_token_file and id_token keys and,
// with agency_name, to an assume_role element placed first.
const oidcBlockName = "assume_role_with_oidc"

// oidcSettings is the block's attributes: json, the attribute's name; from,
// the library's entry its type, description, sensitivity and checks come
// from (a config key, or list.attribute); env, its environment variable as
// terraform-provider-huaweicloud reads it (default: the entry's, the
// HW_ASSUME_ROLE_* of assume_role); exclusive, a group of which at most one
// may be given (and which the environment fills only when none is).
type oidcSettings struct {
	IdpID       string `json:"idp_id" from:"idp_id" env:"HW_ASSUME_ROLE_IDP_ID"`
	IDTokenFile string `json:"id_token_file" from:"id_token_file" env:"HW_ASSUME_ROLE_ID_TOKEN_FILE" exclusive:"token"`
	IDToken     string `json:"id_token" from:"id_token" env:"HW_ASSUME_ROLE_ID_TOKEN" exclusive:"token"`
	AgencyName  string `json:"agency_name" from:"assume_role.agency_name"`
	DomainID    string `json:"domain_id" from:"assume_role.domain_id"`
	Duration    *int   `json:"duration" from:"assume_role.duration"`
}

// oidcIdpEnv set without the block: the whole block from the environment,
// as terraform-provider-huaweicloud reads it.
const oidcIdpEnv = "HW_ASSUME_ROLE_IDP_ID"

// credentialKeys are the config keys that give credentials in the
// provider block; the OIDC block gives them instead, so none may be set
// beside it.
var credentialKeys = []string{"access_key", "secret_key", "security_token", "auth_token", "user_name", "password",
	"idp_id", "id_token_file", "id_token"}

const oidcDescription = "OIDC federation, as `terraform-provider-huaweicloud`'s block of that name: the ID token of the " +
	"identity provider `idp_id` (from `id_token_file`, read again at each renewal, or `id_token`: exactly one) is exchanged " +
	"with IAM for temporary credentials (the id-token call, then securitytokens with method `token`). With `agency_name`, " +
	"the agency of the account `domain_id` is then assumed with them (STS), before the agencies of `assume_role`, if any. " +
	"The block gives the provider's credentials: no other credential attribute may be set beside it. Each attribute falls " +
	"back to its `HW_ASSUME_ROLE_*` variable; without the block, `HW_ASSUME_ROLE_IDP_ID` set reads the whole block from them."

// oidcEntries are the block's attributes as library entries.
var oidcEntries = sync.OnceValue(func() []libraryEntry {
	typ := reflect.TypeFor[oidcSettings]()
	out := make([]libraryEntry, typ.NumField())
	for i := range typ.NumField() {
		f := typ.Field(i)
		from := f.Tag.Get("from")
		entries := library().Config
		if list, attr, ok := strings.Cut(from, "."); ok {
			e, _ := lookup(entries, list)
			entries, from = e.Attributes, attr
		}
		e, ok := lookup(entries, from)
		if !ok {
			panic("the library's schema has no " + f.Tag.Get("from") + " for " + oidcBlockName)
		}
		e.Name = f.Tag.Get("json")
		if env := f.Tag.Get("env"); env != "" {
			e.Env = &env
		}
		out[i] = e
	}
	return out
})

var oidcFields = sync.OnceValue(func() []fieldBinding {
	b, err := bindFields(oidcEntries(), reflect.TypeFor[oidcSettings]())
	if err != nil {
		panic(err.Error())
	}
	return b
})

// exclusiveGroup is the exclusive tag of the block's attribute name.
func exclusiveGroup(name string) string {
	for _, b := range oidcFields() {
		if b.entry.Name == name {
			return b.field.Tag.Get("exclusive")
		}
	}
	return ""
}

func oidcBlock() schema.Block {
	return schema.SingleNestedBlock{
		Description: oidcDescription, MarkdownDescription: oidcDescription,
		Attributes: providerAttributes(oidcEntries()),
	}
}

// oidcGiven is the block's attribute values, and whether the block is there.
func oidcGiven(values map[string]tftypes.Value) (map[string]tftypes.Value, bool) {
	v, ok := values[oidcBlockName]
	if !ok || v.IsNull() || !v.IsKnown() {
		return nil, false
	}
	var attrs map[string]tftypes.Value
	if v.As(&attrs) != nil {
		return nil, false
	}
	return attrs, true
}

// given says whether the attribute is set to a known value.
func given(values map[string]tftypes.Value, name string) bool {
	v, ok := values[name]
	return ok && v.IsKnown() && !v.IsNull()
}

// checkOIDCConfig adds what can be told wrong from the configuration alone
// (`terraform validate`): a credential attribute beside the block, or both
// attributes of an exclusive group.
func checkOIDCConfig(values map[string]tftypes.Value, diags *diag.Diagnostics) {
	block, ok := oidcGiven(values)
	if !ok {
		return
	}
	for _, key := range credentialKeys {
		if given(values, key) {
			diags.AddAttributeError(path.Root(key), "Conflicting credentials",
				oidcBlockName+" gives the provider's credentials: "+key+" cannot be set beside it. Remove one of them.")
		}
	}
	groups := map[string][]string{}
	for _, b := range oidcFields() {
		if g := b.field.Tag.Get("exclusive"); g != "" && given(block, b.entry.Name) {
			groups[g] = append(groups[g], b.entry.Name)
		}
	}
	for _, names := range groups {
		if len(names) > 1 {
			diags.AddAttributeError(path.Root(oidcBlockName).AtName(names[1]), "Conflicting "+oidcBlockName+" attributes",
				oidcBlockName+" takes one of "+strings.Join(names, " and ")+", not both.")
		}
	}
}

// setOIDC applies the assume_role_with_oidc block (or, without it, the
// HW_ASSUME_ROLE_* variables when HW_ASSUME_ROLE_IDP_ID is set) to cfg: the
// library's OIDC keys, and an agency placed first in cfg.AssumeRole. The
// library then exchanges the ID token for the identity provider's temporary
// credentials, and assumes the agencies in order with them.
func setOIDC(cfg *gesbackups.Config, values map[string]tftypes.Value, diags *diag.Diagnostics) {
	at := path.Root(oidcBlockName)
	if v, ok := values[oidcBlockName]; ok && !v.IsFullyKnown() {
		diags.AddAttributeError(at, "Unknown provider configuration value",
			"The ges provider needs "+oidcBlockName+" to be known before it can read backups: set it to values known at plan time.")
		return
	}
	block, ok := oidcGiven(values)
	if !ok {
		if os.Getenv(oidcIdpEnv) == "" {
			return
		}
		block = map[string]tftypes.Value{}
	}
	source := oidcBlockName
	if !ok {
		source = oidcIdpEnv
	}
	checkOIDCConfig(values, diags)
	for _, key := range credentialKeys {
		if !ok && given(values, key) {
			diags.AddAttributeError(path.Root(key), "Conflicting credentials",
				oidcIdpEnv+" is set, which gives the provider's credentials through OIDC: "+key+" cannot be set beside it. Unset one of them.")
		}
	}
	if diags.HasError() {
		return
	}
	fromBlock := map[string]bool{}
	groupGiven := map[string]bool{}
	for name := range block {
		if given(block, name) {
			fromBlock[name] = true
			groupGiven[exclusiveGroup(name)] = true
		}
	}
	for _, e := range oidcEntries() {
		if fromBlock[e.Name] || (exclusiveGroup(e.Name) != "" && groupGiven[exclusiveGroup(e.Name)]) {
			continue
		}
		env := e.envNames()[0]
		raw := os.Getenv(env)
		if raw == "" {
			continue
		}
		switch e.Type {
		case "string":
			block[e.Name] = tftypes.NewValue(tftypes.String, raw)
		case "integer":
			n, ok := new(big.Float).SetString(strings.TrimSpace(raw))
			if !ok {
				diags.AddAttributeError(at.AtName(e.Name), "Invalid "+env, env+" must be a whole number.")
				continue
			}
			block[e.Name] = tftypes.NewValue(tftypes.Number, n)
		}
		if g := exclusiveGroup(e.Name); g != "" {
			groupGiven[g] = true
		}
	}
	var s oidcSettings
	setFields(reflect.ValueOf(&s).Elem(), oidcFields(), block, at, diags)
	if diags.HasError() {
		return
	}
	need := func(name, what string) {
		diags.AddAttributeError(at.AtName(name), "Incomplete "+oidcBlockName, source+" "+what)
	}
	if s.IdpID == "" {
		need("idp_id", "needs idp_id (or HW_ASSUME_ROLE_IDP_ID): the identity provider whose ID token is exchanged.")
	}
	if s.IDTokenFile == "" && s.IDToken == "" {
		need("id_token_file", "needs id_token_file or id_token (or HW_ASSUME_ROLE_ID_TOKEN_FILE, HW_ASSUME_ROLE_ID_TOKEN): the ID token.")
	}
	if s.AgencyName != "" && s.DomainID == "" {
		need("domain_id", "assumes agency_name's agency by its account's id (STS), as terraform-provider-huaweicloud does: "+
			"set domain_id (or HW_ASSUME_ROLE_DOMAIN_ID).")
	}
	if s.AgencyName == "" && (fromBlock["domain_id"] || fromBlock["duration"]) {
		need("agency_name", "sets domain_id or duration, which are those of agency_name's agency: set agency_name "+
			"(or HW_ASSUME_ROLE_AGENCY_NAME), or remove them.")
	}
	if diags.HasError() {
		return
	}
	cfg.IdpID, cfg.IDTokenFile, cfg.IDToken = s.IdpID, s.IDTokenFile, s.IDToken
	if s.AgencyName != "" {
		first := gesbackups.AssumeRole{AgencyName: s.AgencyName, DomainID: s.DomainID, Duration: s.Duration}
		cfg.AssumeRole = append([]gesbackups.AssumeRole{first}, cfg.AssumeRole...)
	}
}
