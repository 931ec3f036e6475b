//go:build cgo

package gesbackups_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The library is linked in statically: this very test binary maps no
// libges_backups shared object, and ldd lists none.
func TestStaticallyLinked(t *testing.T) {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skipf("no /proc/self/maps: %v", err)
	}
	if strings.Contains(string(maps), "libges_backups") {
		t.Fatal("libges_backups is mapped as a shared library")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("ldd"); err != nil {
		return
	}
	out, err := exec.Command("ldd", exe).CombinedOutput()
	if err != nil {
		t.Fatalf("ldd %s: %v\n%s", exe, err, out)
	}
	if strings.Contains(string(out), "libges_backups") {
		t.Fatalf("ldd lists libges_backups:\n%s", out)
	}
}
