//go:build !cgo

package gesbackups

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"

	"github.com/ebitengine/purego"
)

// Without cgo the package calls the shared library through purego: the file
// named by GES_BACKUPS_LIBRARY, else the system's search for the library's
// name (libraryName, per system). It is loaded on first use, once: a library
// that cannot be loaded, lacks a function or speaks another C ABI makes
// NewClient fail with an error that says where it looked; the package never
// panics at import.

// libraryEnv names the file of the shared library to load.
const libraryEnv = "GES_BACKUPS_LIBRARY"

// native is the library, loaded on first use.
var native = sync.OnceValues(loadLibrary)

// puregoLib is nativeLib over the shared library's functions.
type puregoLib struct {
	gesVersion                    func() *byte
	gesAbiVersion                 func() uint32
	gesBackupsSchemaJSON          func() *byte
	gesClientNew                  func(configJSON *byte, out **cClient) *cError
	gesClientFree                 func(c *cClient)
	gesClientSetLogger            func(c *cClient, callback uintptr, userData uintptr, maxLevel uint32) *cError
	gesListBackupsCancellable     func(c *cClient, queryJSON *byte, cancel *cCancel, out **cBackupList) *cError
	gesBackupListFree             func(l *cBackupList)
	gesListBackupsJSONCancellable func(c *cClient, queryJSON *byte, cancel *cCancel, out **byte) *cError
	gesStringFree                 func(s *byte)
	gesCancelNew                  func() *cCancel
	gesCancelRequest              func(k *cCancel)
	gesCancelFree                 func(k *cCancel)
	gesErrorKind                  func(e *cError) int32
	gesErrorMessage               func(e *cError) *byte
	gesErrorHTTPStatus            func(e *cError) uint16
	gesErrorCode                  func(e *cError) *byte
	gesErrorRequestID             func(e *cError) *byte
	gesErrorFree                  func(e *cError)
}

// functions names each function of puregoLib by its C symbol.
func (l *puregoLib) functions() map[string]any {
	return map[string]any{
		"ges_version":                       &l.gesVersion,
		"ges_abi_version":                   &l.gesAbiVersion,
		"ges_backups_schema_json":           &l.gesBackupsSchemaJSON,
		"ges_client_new":                    &l.gesClientNew,
		"ges_client_free":                   &l.gesClientFree,
		"ges_client_set_logger":             &l.gesClientSetLogger,
		"ges_list_backups_cancellable":      &l.gesListBackupsCancellable,
		"ges_backup_list_free":              &l.gesBackupListFree,
		"ges_list_backups_json_cancellable": &l.gesListBackupsJSONCancellable,
		"ges_string_free":                   &l.gesStringFree,
		"ges_cancel_new":                    &l.gesCancelNew,
		"ges_cancel_request":                &l.gesCancelRequest,
		"ges_cancel_free":                   &l.gesCancelFree,
		"ges_error_kind":                    &l.gesErrorKind,
		"ges_error_message":                 &l.gesErrorMessage,
		"ges_error_http_status":             &l.gesErrorHTTPStatus,
		"ges_error_code":                    &l.gesErrorCode,
		"ges_error_request_id":              &l.gesErrorRequestID,
		"ges_error_free":                    &l.gesErrorFree,
	}
}

// loadLibrary opens the library, checks its C ABI version, then binds every
// function.
func loadLibrary() (nativeLib, error) {
	path, where := libraryName, "through the system's search for "+libraryName+" ("+librarySearch+
		"; set "+libraryEnv+" to the library's file to load another)"
	if p := os.Getenv(libraryEnv); p != "" {
		path, where = p, libraryEnv+"="+p
	}
	fail := func(format string, args ...any) (nativeLib, error) {
		return nil, fmt.Errorf("gesbackups: the ges-backups library loaded %s: %s", where, fmt.Sprintf(format, args...))
	}
	handle, err := openLibrary(path)
	if err != nil {
		return nil, fmt.Errorf("gesbackups: cannot load the ges-backups library %s: %v", where, err)
	}
	l := &puregoLib{}
	if err := bind(handle, "ges_abi_version", &l.gesAbiVersion); err != nil {
		return fail("%v", err)
	}
	if v := l.gesAbiVersion(); v != libraryABI {
		return fail("it speaks C ABI version %d; this package speaks version %d", v, libraryABI)
	}
	functions := l.functions()
	for _, name := range slices.Sorted(maps.Keys(functions)) { // the same error every time
		if err := bind(handle, name, functions[name]); err != nil {
			return fail("%v", err)
		}
	}
	return l, nil
}

// bind makes *fn call the library's function name.
func bind(handle uintptr, name string, fn any) error {
	addr, err := symbol(handle, name)
	if err != nil {
		return fmt.Errorf("it has no function %s: %v", name, err)
	}
	purego.RegisterFunc(fn, addr)
	return nil
}

// logCallback is the one C function pointer every client's logger uses:
// purego makes a limited number of callbacks per process, so the clients
// share it and the handle (user_data) says whose logger a line is for.
var logCallback = sync.OnceValue(func() uintptr {
	// The level is a uint32 in a register whose upper half C leaves
	// undefined: it comes as a uintptr and is truncated.
	return purego.NewCallback(func(handle uintptr, level uintptr, message *byte) uintptr {
		dispatchLog(handle, uint32(level), message)
		return 0
	})
})

func (l *puregoLib) version() *byte     { return l.gesVersion() }
func (l *puregoLib) abiVersion() uint32 { return l.gesAbiVersion() }
func (l *puregoLib) schemaJSON() *byte  { return l.gesBackupsSchemaJSON() }

func (l *puregoLib) clientNew(configJSON []byte, out **cClient) *cError {
	return l.gesClientNew(&configJSON[0], out)
}

func (l *puregoLib) clientFree(c *cClient) { l.gesClientFree(c) }

func (l *puregoLib) setLogger(c *cClient, handle uintptr) *cError {
	return l.gesClientSetLogger(c, logCallback(), handle, logLevelDebug)
}

func (l *puregoLib) listBackups(c *cClient, queryJSON []byte, cancel *cCancel, out **cBackupList) *cError {
	return l.gesListBackupsCancellable(c, &queryJSON[0], cancel, out)
}

func (l *puregoLib) backupListFree(list *cBackupList) { l.gesBackupListFree(list) }

func (l *puregoLib) listBackupsJSON(c *cClient, queryJSON []byte, cancel *cCancel, out **byte) *cError {
	return l.gesListBackupsJSONCancellable(c, &queryJSON[0], cancel, out)
}

func (l *puregoLib) stringFree(s *byte)               { l.gesStringFree(s) }
func (l *puregoLib) cancelNew() *cCancel              { return l.gesCancelNew() }
func (l *puregoLib) cancelRequest(k *cCancel)         { l.gesCancelRequest(k) }
func (l *puregoLib) cancelFree(k *cCancel)            { l.gesCancelFree(k) }
func (l *puregoLib) errorKind(e *cError) int32        { return l.gesErrorKind(e) }
func (l *puregoLib) errorMessage(e *cError) *byte     { return l.gesErrorMessage(e) }
func (l *puregoLib) errorHTTPStatus(e *cError) uint16 { return l.gesErrorHTTPStatus(e) }
func (l *puregoLib) errorCode(e *cError) *byte        { return l.gesErrorCode(e) }
func (l *puregoLib) errorRequestID(e *cError) *byte   { return l.gesErrorRequestID(e) }
func (l *puregoLib) errorFree(e *cError)              { l.gesErrorFree(e) }
