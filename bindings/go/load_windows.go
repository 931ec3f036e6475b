//go:build !cgo && windows

package gesbackups

import "syscall"

// libraryName is the library's DLL; librarySearch says where Windows looks.
const (
	libraryName   = "ges_backups.dll"
	librarySearch = "the program's directory, the system directories, then PATH"
)

func openLibrary(path string) (uintptr, error) {
	h, err := syscall.LoadLibrary(path)
	return uintptr(h), err
}

func symbol(handle uintptr, name string) (uintptr, error) {
	return syscall.GetProcAddress(syscall.Handle(handle), name)
}
