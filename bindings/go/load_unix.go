//go:build !cgo && !windows

package gesbackups

import (
	"runtime"

	"github.com/ebitengine/purego"
)

// libraryName is the shared library's file name under its C ABI version, as
// `make install` installs it; librarySearch says where the system looks.
var libraryName, librarySearch = func() (string, string) {
	if runtime.GOOS == "darwin" {
		return "libges_backups.1.dylib", "DYLD_LIBRARY_PATH, then the default directories"
	}
	return "libges_backups.so.1", "LD_LIBRARY_PATH, the ld.so cache, then the default directories"
}()

func openLibrary(path string) (uintptr, error) {
	return purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_LOCAL)
}

func symbol(handle uintptr, name string) (uintptr, error) {
	return purego.Dlsym(handle, name)
}
