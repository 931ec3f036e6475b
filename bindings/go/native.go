package gesbackups

import (
	"bytes"
	"unsafe"
)

// The package reaches the library's C ABI (ges_backups.h) through nativeLib,
// which one of two files implements, chosen by build tag:
//
//   - native_cgo.go (cgo): the static library of an installed prefix,
//     linked in through pkg-config;
//   - native_purego.go (!cgo): the shared library, loaded at run time with
//     github.com/ebitengine/purego, on first use.
//
// Everything above nativeLib (the API, its docs, the conversions, the
// tests) is written once. Each method is one C function, pointers and
// integers only; a JSON argument is NUL-terminated; a string the library
// returns is a *byte to a NUL-terminated string.
type nativeLib interface {
	version() *byte
	abiVersion() uint32
	schemaJSON() *byte

	clientNew(configJSON []byte, out **cClient) *cError
	clientFree(c *cClient)
	// setLogger installs the package's log callback with handle as its
	// user_data, at every level (see logger.go).
	setLogger(c *cClient, handle uintptr) *cError

	listBackups(c *cClient, queryJSON []byte, cancel *cCancel, out **cBackupList) *cError
	backupListFree(l *cBackupList)
	listBackupsJSON(c *cClient, queryJSON []byte, cancel *cCancel, out **byte) *cError
	stringFree(s *byte)

	cancelNew() *cCancel
	cancelRequest(k *cCancel)
	cancelFree(k *cCancel)

	errorKind(e *cError) int32
	errorMessage(e *cError) *byte
	errorHTTPStatus(e *cError) uint16
	errorCode(e *cError) *byte
	errorRequestID(e *cError) *byte
	errorFree(e *cError)
}

// The opaque C types: GesClient, GesCancel and GesError. Only pointers to
// them travel; Go never reads through one.
type (
	cClient struct{ _ [0]byte }
	cCancel struct{ _ [0]byte }
	cError  struct{ _ [0]byte }
)

// cBackupList mirrors struct GesBackupList, which Go reads through a pointer;
// layout_cgo_test.go proves its layout equal to the C compiler's. (cBackup,
// the mirror of struct GesBackup, is generated with Backup: backup_gen.go.)
type cBackupList struct {
	items       *cBackup
	len         uintptr // size_t
	total_count int64
	id          *byte
}

// The GesLogLevel values (pinned to the header in native_cgo.go).
const (
	logLevelError = 1
	logLevelWarn  = 2
	logLevelInfo  = 3
	logLevelDebug = 4
)

// libraryABI is the C ABI version this package speaks.
const libraryABI = 1

// takeError converts a GesError into an *Error and frees it. A nil err gives
// a nil error (an untyped nil, so that err == nil holds).
func takeError(lib nativeLib, err *cError) error {
	if err == nil {
		return nil
	}
	defer lib.errorFree(err)
	return &Error{
		Kind:       ErrorKind(lib.errorKind(err)),
		Message:    goString(lib.errorMessage(err)),
		HTTPStatus: int(lib.errorHTTPStatus(err)),
		Code:       goString(lib.errorCode(err)),
		RequestID:  goString(lib.errorRequestID(err)),
	}
}

// goString copies the C string at p; NULL is "".
func goString(p *byte) string {
	if p == nil {
		return ""
	}
	return string(cBytes(p))
}

// cString is s as a NUL-terminated copy, for a JSON argument.
func cString(s []byte) []byte {
	out := make([]byte, len(s)+1)
	copy(out, s)
	return out
}

// cBytes is the C string at p, NUL excluded, without a copy: it looks for
// the NUL a 4 KiB-aligned block at a time, as the runtime's C.GoString does,
// so it never reads past the page the NUL is in.
func cBytes(p *byte) []byte {
	const block = 4096 // no page is smaller
	start := unsafe.Pointer(p)
	n := 0
	for {
		at := unsafe.Add(start, n)
		size := block - int(uintptr(at)%block)
		if i := bytes.IndexByte(unsafe.Slice((*byte)(at), size), 0); i >= 0 {
			return unsafe.Slice((*byte)(start), n+i)
		}
		n += size
	}
}
