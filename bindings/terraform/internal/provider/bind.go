package provider

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// fieldBinding ties an entry of the library's schema to the field of a Go
// type of the library's package (gesbackups.Config, Query, BackupList,
// Backup) that carries it, so that values go between Terraform and the
// library with no list of keys written here.
type fieldBinding struct {
	entry libraryEntry
	field reflect.StructField
	// elem binds a list's element fields.
	elem []fieldBinding
}

// bindFields binds every entry to its field of the struct type typ: the
// field whose json tag is the entry's name or, without a tag, whose name is
// the entry's without underscores, case aside (project_id: ProjectID). A
// missing field, or one whose type cannot hold the entry's values, is an
// error: the Go package and the library's schema disagree.
func bindFields(entries []libraryEntry, typ reflect.Type) ([]fieldBinding, error) {
	out := make([]fieldBinding, 0, len(entries))
	for _, e := range entries {
		f, ok := fieldFor(typ, e.Name)
		if !ok {
			return nil, fmt.Errorf("%s has no field for the library's %s %q", typ, e.Type, e.Name)
		}
		if !fits(e, f.Type) {
			return nil, fmt.Errorf("%s.%s is a %s, which cannot hold the library's %s %q%s", typ, f.Name, f.Type, e.Type, e.Name, offNote(e))
		}
		b := fieldBinding{entry: e, field: f}
		if e.Type == "list" {
			elem, err := bindFields(e.Attributes, f.Type.Elem())
			if err != nil {
				return nil, fmt.Errorf("%s: %w", e.Name, err)
			}
			b.elem = elem
		}
		out = append(out, b)
	}
	return out, nil
}

func fieldFor(typ reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" {
			if tag == name {
				return f, true
			}
			continue
		}
		if strings.EqualFold(f.Name, strings.ReplaceAll(name, "_", "")) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// fits says whether a field of type t can hold e's values: a string, whole
// number or bool, or a pointer to one (nil: not set); a string that "" turns
// off needs the pointer, to tell "" from not set, unless the provider sends
// its "" another way (plainOffKeys); a list is a slice of structs.
func fits(e libraryEntry, t reflect.Type) bool {
	if e.Type == "list" {
		return t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct
	}
	pointer := t.Kind() == reflect.Pointer
	if pointer {
		t = t.Elem()
	}
	switch e.Type {
	case "string":
		return t.Kind() == reflect.String && (pointer || e.EmptyString != "off" || plainOffKeys[e.Name] != nil)
	case "integer":
		return t.Kind() == reflect.Int || t.Kind() == reflect.Int64
	case "bool":
		return t.Kind() == reflect.Bool
	}
	return false
}

func offNote(e libraryEntry) string {
	if e.EmptyString == "off" {
		return ` ("" turns it off: it needs a pointer)`
	}
	return ""
}

// setFields sets the fields of dst, an addressable struct, from values (an
// object's attributes by name; at is the object's path). Null values leave
// their fields unset, for the library's environment fallback and default. A
// number that is not whole, or out of the entry's or the field's range, is a
// diagnostic on its attribute. The values are known and of the schema's
// types: the caller checked, and the schema was built from the same entries.
func setFields(dst reflect.Value, fields []fieldBinding, values map[string]tftypes.Value, at path.Path, diags *diag.Diagnostics) {
	for _, b := range fields {
		v, ok := values[b.entry.Name]
		if !ok || v.IsNull() || !v.IsKnown() {
			continue
		}
		setField(dst.Field(b.field.Index[0]), b, v, at.AtName(b.entry.Name), diags)
	}
}

func setField(field reflect.Value, b fieldBinding, v tftypes.Value, at path.Path, diags *diag.Diagnostics) {
	target := field
	if field.Kind() == reflect.Pointer {
		target = reflect.New(field.Type().Elem()).Elem()
	}
	switch b.entry.Type {
	case "string":
		var s string
		_ = v.As(&s)
		target.SetString(s)
	case "bool":
		var x bool
		_ = v.As(&x)
		target.SetBool(x)
	case "integer":
		var f big.Float
		_ = v.As(&f)
		bounds := fieldBounds(b.entry, target.Type())
		n, ok := bounds.value(&f)
		if !ok {
			diags.AddAttributeError(at, "Invalid "+b.entry.Name, bounds.message(b.entry.Name, &f))
			return
		}
		target.SetInt(n.Int64())
	case "list":
		var elems []tftypes.Value
		_ = v.As(&elems)
		list := reflect.MakeSlice(field.Type(), len(elems), len(elems))
		for i, elem := range elems {
			var attrs map[string]tftypes.Value
			_ = elem.As(&attrs)
			setFields(list.Index(i), b.elem, attrs, at.AtListIndex(i), diags)
		}
		field.Set(list)
		return
	}
	if field.Kind() == reflect.Pointer {
		field.Set(target.Addr())
	}
}

// fieldBounds are e's bounds, narrowed to what an integer of type t holds.
func fieldBounds(e libraryEntry, t reflect.Type) wholeNumber {
	lo, hi := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	if t.Bits() == 32 {
		lo, hi = big.NewInt(math.MinInt32), big.NewInt(math.MaxInt32)
	}
	r := numberRange(e)
	if r.min == nil || r.min.Cmp(lo) < 0 {
		r.min = lo
	}
	if r.max == nil || r.max.Cmp(hi) > 0 {
		r.max = hi
	}
	return r
}
