//go:build cgo

package gesbackups

/*
#include "gesbackups.h"

// gesGoLog is in log_export_cgo.go; the library calls it on any thread.
extern void gesGoLog(void *handle, GesLogLevel level, char *message);

static GesError *ges_go_set_logger(GesClient *client, uintptr_t handle) {
	return ges_client_set_logger(client, (GesLogCallback)gesGoLog, (void *)handle, GES_LOG_LEVEL_DEBUG);
}
*/
import "C"

import (
	"reflect"
	"unsafe"
)

// cgoLib is nativeLib over the library linked in (link.go).
type cgoLib struct{}

// native is the library: with cgo, always there.
func native() (nativeLib, error) { return cgoLib{}, nil }

func chars(s []byte) *C.char { return (*C.char)(unsafe.Pointer(&s[0])) }

func (cgoLib) version() *byte     { return (*byte)(unsafe.Pointer(C.ges_version())) }
func (cgoLib) abiVersion() uint32 { return uint32(C.ges_abi_version()) }
func (cgoLib) schemaJSON() *byte  { return (*byte)(unsafe.Pointer(C.ges_backups_schema_json())) }

func (cgoLib) clientNew(configJSON []byte, out **cClient) *cError {
	return goErr(C.ges_client_new(chars(configJSON), (**C.GesClient)(unsafe.Pointer(out))))
}

func (cgoLib) clientFree(c *cClient) { C.ges_client_free((*C.GesClient)(unsafe.Pointer(c))) }

func (cgoLib) setLogger(c *cClient, handle uintptr) *cError {
	return goErr(C.ges_go_set_logger((*C.GesClient)(unsafe.Pointer(c)), C.uintptr_t(handle)))
}

func (cgoLib) listBackups(c *cClient, queryJSON []byte, cancel *cCancel, out **cBackupList) *cError {
	return goErr(C.ges_list_backups_cancellable((*C.GesClient)(unsafe.Pointer(c)), chars(queryJSON),
		(*C.GesCancel)(unsafe.Pointer(cancel)), (**C.GesBackupList)(unsafe.Pointer(out))))
}

func (cgoLib) backupListFree(l *cBackupList) {
	C.ges_backup_list_free((*C.GesBackupList)(unsafe.Pointer(l)))
}

func (cgoLib) listBackupsJSON(c *cClient, queryJSON []byte, cancel *cCancel, out **byte) *cError {
	return goErr(C.ges_list_backups_json_cancellable((*C.GesClient)(unsafe.Pointer(c)), chars(queryJSON),
		(*C.GesCancel)(unsafe.Pointer(cancel)), (**C.char)(unsafe.Pointer(out))))
}

func (cgoLib) stringFree(s *byte) { C.ges_string_free((*C.char)(unsafe.Pointer(s))) }

func (cgoLib) cancelNew() *cCancel { return (*cCancel)(unsafe.Pointer(C.ges_cancel_new())) }
func (cgoLib) cancelRequest(k *cCancel) {
	C.ges_cancel_request((*C.GesCancel)(unsafe.Pointer(k)))
}
func (cgoLib) cancelFree(k *cCancel) { C.ges_cancel_free((*C.GesCancel)(unsafe.Pointer(k))) }

func goErr(e *C.GesError) *cError { return (*cError)(unsafe.Pointer(e)) }
func cErr(e *cError) *C.GesError  { return (*C.GesError)(unsafe.Pointer(e)) }

func (cgoLib) errorKind(e *cError) int32 { return int32(C.ges_error_kind(cErr(e))) }
func (cgoLib) errorMessage(e *cError) *byte {
	return (*byte)(unsafe.Pointer(C.ges_error_message(cErr(e))))
}
func (cgoLib) errorHTTPStatus(e *cError) uint16 { return uint16(C.ges_error_http_status(cErr(e))) }
func (cgoLib) errorCode(e *cError) *byte {
	return (*byte)(unsafe.Pointer(C.ges_error_code(cErr(e))))
}
func (cgoLib) errorRequestID(e *cError) *byte {
	return (*byte)(unsafe.Pointer(C.ges_error_request_id(cErr(e))))
}
func (cgoLib) errorFree(e *cError) { C.ges_error_free(cErr(e)) }

// cStructs are the C structs Go reads through a pointer, as cgo translates
// them from the header, for layout_cgo_test.go to compare with their mirrors.
func cStructs() map[string]reflect.Type {
	return map[string]reflect.Type{
		"GesBackup":     reflect.TypeFor[C.GesBackup](),
		"GesBackupList": reflect.TypeFor[C.GesBackupList](),
	}
}

// The Go constants are the header's values; a mismatch does not compile (a
// constant index out of range).
var (
	_ = [1]struct{}{}[KindInvalidArgument-C.GES_ERROR_KIND_INVALID_ARGUMENT]
	_ = [1]struct{}{}[KindTransport-C.GES_ERROR_KIND_TRANSPORT]
	_ = [1]struct{}{}[KindAPI-C.GES_ERROR_KIND_API]
	_ = [1]struct{}{}[KindDecode-C.GES_ERROR_KIND_DECODE]
	_ = [1]struct{}{}[KindInconsistent-C.GES_ERROR_KIND_INCONSISTENT]
	_ = [1]struct{}{}[KindInternal-C.GES_ERROR_KIND_INTERNAL]
	_ = [1]struct{}{}[KindCancelled-C.GES_ERROR_KIND_CANCELLED]
	_ = [1]struct{}{}[logLevelError-C.GES_LOG_LEVEL_ERROR]
	_ = [1]struct{}{}[logLevelWarn-C.GES_LOG_LEVEL_WARN]
	_ = [1]struct{}{}[logLevelInfo-C.GES_LOG_LEVEL_INFO]
	_ = [1]struct{}{}[logLevelDebug-C.GES_LOG_LEVEL_DEBUG]
	_ = [1]struct{}{}[libraryABI-C.GES_ABI_VERSION]
)
