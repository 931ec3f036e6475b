//go:build !cgo && linux

package gesbackups

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// loadChildEnv makes the test binary a child of TestLibraryLoading: it
// loads the library as the environment says and prints what it got.
const loadChildEnv = "GES_GO_LOAD_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(loadChildEnv) != "" {
		loadChild()
		return
	}
	os.Exit(m.Run())
}

// loadChild reports what importing the package and NewClient give: the
// version functions (zero values when there is no library) and NewClient's
// error, twice (loading is tried once).
func loadChild() {
	fmt.Printf("version %q abi %d schema %d bytes\n", Version(), ABIVersion(), len(SchemaJSON()))
	for range 2 {
		c, err := NewClient(Config{Endpoint: "http://127.0.0.1:1", ProjectID: "p", AuthToken: "t"})
		if err != nil {
			var gerr *Error
			fmt.Printf("error (a *gesbackups.Error: %v): %v\n", errors.As(err, &gerr), err)
			continue
		}
		c.Close()
		fmt.Println("client made")
	}
}

// Without cgo, the library is GES_BACKUPS_LIBRARY's file or the system's
// libges_backups.so.1; one that is missing, of another C ABI, or lacking a
// function is an error from NewClient that says where it looked, never a
// panic, and the version functions give their zero values. Each case runs
// in a process of its own, as loading happens once a process.
func TestLibraryLoading(t *testing.T) {
	real := os.Getenv(libraryEnv)
	if real == "" {
		t.Fatalf("%s names no library: run_tests.sh sets it to an installed prefix's", libraryEnv)
	}
	dir := t.TempDir()
	abi2 := fakeLibrary(t, dir, "abi2", 2)
	abi1 := fakeLibrary(t, dir, "abi1", 1)
	search := filepath.Join(dir, "search")
	if err := os.Mkdir(search, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(abi2, filepath.Join(search, libraryName)); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no-such-dir", libraryName)
	realDir := filepath.Dir(real)
	for _, tc := range []struct {
		name    string
		env     []string
		want    []string
		version string
	}{
		{"a missing file", []string{libraryEnv + "=" + missing},
			[]string{"error (a *gesbackups.Error: false): gesbackups: cannot load the ges-backups library " + libraryEnv + "=" + missing + ": ",
				"no-such-dir"}, `version "" abi 0 schema 0 bytes`},
		{"another C ABI", []string{libraryEnv + "=" + abi2},
			[]string{"error (a *gesbackups.Error: false): gesbackups: the ges-backups library loaded " + libraryEnv + "=" + abi2 +
				": it speaks C ABI version 2; this package speaks version 1"}, `version "" abi 0`},
		{"a function missing", []string{libraryEnv + "=" + abi1},
			[]string{"gesbackups: the ges-backups library loaded " + libraryEnv + "=" + abi1 + ": it has no function ges_backup_list_free"}, `version "" abi 0`},
		{"the system's search, another C ABI", []string{libraryEnv + "=", "LD_LIBRARY_PATH=" + search},
			[]string{"the ges-backups library loaded through the system's search for " + libraryName,
				"set " + libraryEnv + " to the library's file", "it speaks C ABI version 2"}, `abi 0`},
		{"the system's search, nothing found", []string{libraryEnv + "=", "LD_LIBRARY_PATH=" + dir},
			[]string{"cannot load the ges-backups library through the system's search for " + libraryName}, `abi 0`},
		{"the system's search, the real library", []string{libraryEnv + "=", "LD_LIBRARY_PATH=" + realDir},
			[]string{"client made\nclient made\n"}, `abi 1 schema`},
		{"GES_BACKUPS_LIBRARY, the real library", []string{libraryEnv + "=" + real},
			[]string{"client made\nclient made\n"}, `abi 1 schema`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), append([]string{loadChildEnv + "=1"}, tc.env...)...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the child failed (%v):\n%s", err, out)
			}
			text := string(out)
			for _, w := range append(tc.want, tc.version) {
				if !strings.Contains(text, w) {
					t.Errorf("the child's output lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, "error") && strings.Count(text, "error (") != 2 {
				t.Errorf("want the same error from both NewClient calls:\n%s", text)
			}
		})
	}
}

// fakeLibrary builds a shared library whose ges_abi_version returns abi and
// that has no other function of the ABI.
func fakeLibrary(t *testing.T, dir, name string, abi int) string {
	t.Helper()
	src := filepath.Join(dir, name+".c")
	lib := filepath.Join(dir, "lib"+name+".so")
	code := fmt.Sprintf("#include <stdint.h>\nuint32_t ges_abi_version(void) { return %d; }\n", abi)
	if err := os.WriteFile(src, []byte(code), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cc", "-shared", "-fPIC", "-o", lib, src).CombinedOutput(); err != nil {
		t.Fatalf("cc -shared: %v\n%s", err, out)
	}
	return lib
}

// The tests of this package ran against the shared library that
// GES_BACKUPS_LIBRARY names, loaded into this very process.
func TestTheSharedLibraryIsLoaded(t *testing.T) {
	if ABIVersion() != 1 {
		t.Fatalf("ABIVersion() = %d", ABIVersion())
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatalf("no /proc/self/maps: %v", err)
	}
	real, err := filepath.EvalSymlinks(os.Getenv(libraryEnv))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(maps), real) {
		t.Fatalf("%s is not mapped into the test process", real)
	}
}
