//go:build cgo

package gesbackups

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The structs Go reads through a pointer, as mirrored for the pure-Go side
// (native_purego.go) and used by both: their layout must be the header's.
var mirrors = map[string]reflect.Type{
	"GesBackup":     reflect.TypeFor[cBackup](),
	"GesBackupList": reflect.TypeFor[cBackupList](),
}

// layout is a struct's or a field's place: offset (0 for a struct), size
// and, for a struct, alignment.
type layout struct{ offset, size, align uintptr }

// Every field of each mirror has the offset and size the C compiler gives
// the header's field of that name, each mirror has exactly the header's
// fields, in order, and the same size and alignment. The C side is a
// program compiled with cc against the installed header, printing
// offsetof and sizeof of every field that cgo finds in the struct.
func TestMirrorLayoutIsTheHeaders(t *testing.T) {
	cTypes := cStructs()
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range cTypes {
			if !yield(n) {
				return
			}
		}
	})
	if len(names) != len(mirrors) {
		t.Fatalf("cgo structs %v, mirrors %d", names, len(mirrors))
	}
	var prog strings.Builder
	prog.WriteString("#include <stddef.h>\n#include <stdio.h>\n#include \"ges_backups.h\"\nint main(void) {\n")
	for _, name := range names {
		fmt.Fprintf(&prog, "  printf(\"%s 0 %%zu %%zu\\n\", sizeof(%s), _Alignof(%s));\n", name, name, name)
		for _, f := range cFields(cTypes[name]) {
			fmt.Fprintf(&prog, "  printf(\"%s.%s %%zu %%zu 0\\n\", offsetof(%s, %s), sizeof(((%s *)0)->%s));\n",
				name, f.Name, name, f.Name, name, f.Name)
		}
	}
	prog.WriteString("  return 0;\n}\n")
	fromC := compileAndRun(t, prog.String())

	for _, name := range names {
		mirror := mirrors[name]
		if mirror == nil {
			t.Fatalf("no mirror of %s", name)
		}
		want := fromC[name]
		if got := (layout{0, mirror.Size(), uintptr(mirror.Align())}); got != want {
			t.Errorf("%s: the mirror's size and alignment %+v, C's %+v", name, got, want)
		}
		cfs := cFields(cTypes[name])
		var mfs []reflect.StructField
		for _, f := range reflect.VisibleFields(mirror) {
			mfs = append(mfs, f)
		}
		if len(mfs) != len(cfs) {
			t.Errorf("%s: the mirror has %d fields, C %d", name, len(mfs), len(cfs))
		}
		for i, cf := range cfs {
			want := fromC[name+"."+cf.Name]
			if i >= len(mfs) {
				t.Errorf("%s.%s: not in the mirror", name, cf.Name)
				continue
			}
			mf := mfs[i]
			got := layout{mf.Offset, mf.Type.Size(), 0}
			if mf.Name != cf.Name || got != want {
				t.Errorf("%s field %d: the mirror's %s at %+v, C's %s at %+v", name, i, mf.Name, got, cf.Name, want)
			}
			if kindClass(mf.Type) != kindClass(cf.Type) {
				t.Errorf("%s.%s: the mirror's %s is not like C's %s", name, cf.Name, mf.Type, cf.Type)
			}
			// cgo's view of the header agrees with the C compiler's.
			if (layout{cf.Offset, cf.Type.Size(), 0}) != want {
				t.Errorf("%s.%s: cgo places it at %d (%d bytes), cc at %+v", name, cf.Name, cf.Offset, cf.Type.Size(), want)
			}
		}
	}
	if !t.Failed() {
		t.Logf("%d structs, %d fields: the mirrors' layout is the header's", len(names), len(fromC)-len(names))
	}
}

// cFields is the named fields of a struct cgo translated (padding excluded).
func cFields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for i := range t.NumField() {
		if f := t.Field(i); f.Name != "_" {
			out = append(out, f)
		}
	}
	return out
}

// kindClass is "pointer", "signed" or "unsigned".
func kindClass(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer, reflect.UnsafePointer:
		return "pointer"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "signed"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "unsigned"
	}
	return t.Kind().String()
}

// compileAndRun compiles a C program against the header pkg-config gives
// the package (ges_backups_static), runs it and parses its lines
// "NAME OFFSET SIZE ALIGN".
func compileAndRun(t *testing.T, program string) map[string]layout {
	t.Helper()
	dir := t.TempDir()
	src, bin := filepath.Join(dir, "layout.c"), filepath.Join(dir, "layout")
	if err := os.WriteFile(src, []byte(program), 0o600); err != nil {
		t.Fatal(err)
	}
	cflags, err := exec.Command("pkg-config", "--cflags", "ges_backups_static").Output()
	if err != nil {
		t.Fatalf("pkg-config --cflags ges_backups_static: %v", err)
	}
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	args := append(strings.Fields(string(cflags)), "-std=c11", "-o", bin, src)
	if out, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s\n%s", cc, strings.Join(args, " "), err, out, program)
	}
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]layout{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var name string
		var l layout
		if _, err := fmt.Sscan(line, &name, &l.offset, &l.size, &l.align); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		got[name] = l
	}
	return got
}
