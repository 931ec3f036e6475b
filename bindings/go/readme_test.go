package gesbackups_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// codeBlock is a ```go block of README.md and the heading above it.
type codeBlock struct {
	heading, code string
	line          int
}

// readmeBlocks is every ```go block of README.md, its indentation (in a list
// item) removed.
func readmeBlocks(t *testing.T) []codeBlock {
	t.Helper()
	text, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []codeBlock
	var heading, indent string
	var code *strings.Builder
	start := 0
	for i, line := range strings.Split(string(text), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case code == nil && strings.HasPrefix(line, "#"):
			heading = trimmed
		case code == nil && trimmed == "```go":
			code, indent, start = &strings.Builder{}, line[:strings.Index(line, "```")], i+1
		case code != nil && trimmed == "```":
			blocks = append(blocks, codeBlock{heading, code.String(), start})
			code = nil
		case code != nil:
			code.WriteString(strings.TrimPrefix(line, indent) + "\n")
		}
	}
	if len(blocks) < 4 {
		t.Fatalf("README.md has %d Go blocks", len(blocks))
	}
	return blocks
}

// apiBlock is the first Go block under the heading "### API".
func apiBlock(t *testing.T, blocks []codeBlock) codeBlock {
	t.Helper()
	for _, b := range blocks {
		if b.heading == "### API" {
			return b
		}
	}
	t.Fatal("README.md has no Go block under ### API")
	return codeBlock{}
}

// declarations are the exported declarations of Go files: struct fields
// ("Type.Field" to its type), functions and methods ("Recv.Name" or "Name"
// to their signature without parameter names) and constants and variables.
type declarations struct {
	fields map[string]map[string]string
	funcs  map[string]string
	values map[string]bool
}

func declare(t *testing.T, fset *token.FileSet, files []*ast.File) declarations {
	t.Helper()
	d := declarations{map[string]map[string]string{}, map[string]string{}, map[string]bool{}}
	show := func(n ast.Node) string {
		var b bytes.Buffer
		if err := printer.Fprint(&b, fset, n); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	types := func(l *ast.FieldList) string {
		if l == nil {
			return ""
		}
		var out []string
		for _, f := range l.List {
			for range max(1, len(f.Names)) {
				out = append(out, show(f.Type))
			}
		}
		return strings.Join(out, ", ")
	}
	for _, f := range files {
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				if !decl.Name.IsExported() {
					continue
				}
				name := decl.Name.Name
				if decl.Recv != nil {
					name = types(decl.Recv) + "." + name
				}
				d.funcs[name] = "(" + types(decl.Type.Params) + ") (" + types(decl.Type.Results) + ")"
			case *ast.GenDecl:
				for _, spec := range decl.Specs {
					switch spec := spec.(type) {
					case *ast.TypeSpec:
						st, ok := spec.Type.(*ast.StructType)
						if !ok || !spec.Name.IsExported() {
							continue
						}
						fields := map[string]string{}
						for _, field := range st.Fields.List {
							for _, n := range field.Names {
								if n.IsExported() {
									fields[n.Name] = show(field.Type)
								}
							}
						}
						d.fields[spec.Name.Name] = fields
					case *ast.ValueSpec:
						for _, n := range spec.Names {
							if n.IsExported() {
								d.values[n.Name] = true
							}
						}
					}
				}
			}
		}
	}
	return d
}

// The API block of README.md is the package's: each struct it shows has
// exactly the package's exported fields with their types, each function
// and method the package's signature, each constant and variable exists.
func TestReadmeAPIIsThePackages(t *testing.T) {
	api := apiBlock(t, readmeBlocks(t))
	fset := token.NewFileSet()
	readme, err := parser.ParseFile(fset, "README.md", "package readme\n"+api.code, 0)
	if err != nil {
		t.Fatalf("the API block of README.md (line %d) is not Go: %v", api.line, err)
	}
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	shown, pkg := declare(t, fset, []*ast.File{readme}), declare(t, fset, files)
	for typ, fields := range shown.fields {
		have, ok := pkg.fields[typ]
		if !ok {
			t.Errorf("README.md shows the struct %s, which the package does not have", typ)
			continue
		}
		for name, ft := range fields {
			if have[name] != ft {
				t.Errorf("README.md shows %s.%s as %q; the package has %q", typ, name, ft, have[name])
			}
		}
		for name, ft := range have {
			if _, ok := fields[name]; !ok {
				t.Errorf("README.md's %s lacks the field %s %s", typ, name, ft)
			}
		}
	}
	for name, sig := range shown.funcs {
		if pkg.funcs[name] != sig {
			t.Errorf("README.md shows %s%s; the package has %s%s", name, sig, name, pkg.funcs[name])
		}
	}
	for name := range shown.values {
		if !pkg.values[name] {
			t.Errorf("README.md names %s, which the package does not declare", name)
		}
	}
	if len(shown.fields) < 5 || len(shown.funcs) < 10 || len(shown.values) < 15 {
		t.Fatalf("the API block shows %d structs, %d functions, %d values: it was not read", len(shown.fields), len(shown.funcs), len(shown.values))
	}
}

// Every other Go block of README.md compiles: each is the body of a
// function (with a client, a context and a *testing.T at hand) in a module
// of its own that uses this package, built without cgo.
func TestReadmeExamplesCompile(t *testing.T) {
	imports := []string{"context", "errors", "fmt", "log", "log/slog", "net/http", "os", "testing", "time",
		"github.com/ges-backups/ges-backups/bindings/go", "github.com/ges-backups/ges-backups/bindings/go/emulatortest"}
	var src strings.Builder
	src.WriteString("package readme\n\nimport (\n")
	for _, imp := range imports {
		name := imp[strings.LastIndex(imp, "/")+1:]
		if name == "go" {
			name = "gesbackups"
		}
		fmt.Fprintf(&src, "\t%s %q\n", name, imp)
	}
	src.WriteString(")\n\nvar (\n\t_ = context.Background\n\t_ = errors.New\n\t_ = fmt.Println\n\t_ = log.Fatal\n" +
		"\t_ = slog.New\n\t_ = http.MethodGet\n\t_ = os.Stderr\n\t_ = time.Second\n\t_ = emulatortest.Start\n)\n")
	compiled := 0
	blocks := readmeBlocks(t)
	api := apiBlock(t, blocks)
	for i, b := range blocks {
		if b.line == api.line || strings.HasPrefix(b.code, "import ") {
			continue
		}
		fmt.Fprintf(&src, "\n// README.md line %d\nfunc block%d(t *testing.T, client *gesbackups.Client, ctx context.Context) {\n%s}\n", b.line, i, b.code)
		compiled++
	}
	dir := t.TempDir()
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	var requires []string
	for _, line := range strings.Split(string(mod), "\n") {
		if strings.HasPrefix(line, "require ") {
			requires = append(requires, line)
		}
	}
	goMod := "module readme\n\ngo 1.25\n\nrequire github.com/ges-backups/ges-backups/bindings/go v0.0.0-00010101000000-000000000000\n" +
		strings.Join(requires, "\n") + "\n\nreplace github.com/ges-backups/ges-backups/bindings/go => " + here + "\n"
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{"go.mod": []byte(goMod), "go.sum": sum, "readme.go": []byte(src.String())} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "vet", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the Go blocks of README.md do not compile: %v\n%s\n%s", err, out, src.String())
	}
	if compiled < 4 {
		t.Fatalf("only %d blocks compiled", compiled)
	}
}
