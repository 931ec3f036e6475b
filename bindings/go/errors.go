package gesbackups

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorKind says what went wrong; the values are those of the C enum
// GesErrorKind.
type ErrorKind int

const (
	// KindInvalidArgument: the caller's input (unknown key, value out of
	// range, missing credentials, a closed client, ...).
	KindInvalidArgument ErrorKind = 1
	// KindTransport: no HTTP answer (DNS, connect, TLS, reset, timeout,
	// deadline).
	KindTransport ErrorKind = 2
	// KindAPI: the service answered with a non-2xx status.
	KindAPI ErrorKind = 3
	// KindDecode: a 2xx answer that is not a valid response.
	KindDecode ErrorKind = 4
	// KindInconsistent: the backup list kept changing while it was paged
	// through.
	KindInconsistent ErrorKind = 5
	// KindInternal: a bug in the library; never expected.
	KindInternal ErrorKind = 6
	// KindCancelled: the call was cancelled. ListBackups returns its
	// context's error instead (context.Canceled or DeadlineExceeded), so this
	// kind reaches a caller only from a later API that cancels otherwise.
	KindCancelled ErrorKind = 7
)

// String returns the kind in snake case, e.g. "invalid_argument".
func (k ErrorKind) String() string {
	switch k {
	case KindInvalidArgument:
		return "invalid_argument"
	case KindTransport:
		return "transport"
	case KindAPI:
		return "api"
	case KindDecode:
		return "decode"
	case KindInconsistent:
		return "inconsistent"
	case KindInternal:
		return "internal"
	case KindCancelled:
		return "cancelled"
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// Sentinel errors, one per kind: errors.Is(err, ErrAPI) holds for an *Error
// of KindAPI, wrapped or not (through Error.Is, which compares the kind).
var (
	ErrInvalidArgument = kindSentinel(KindInvalidArgument)
	ErrTransport       = kindSentinel(KindTransport)
	ErrAPI             = kindSentinel(KindAPI)
	ErrDecode          = kindSentinel(KindDecode)
	ErrInconsistent    = kindSentinel(KindInconsistent)
	ErrInternal        = kindSentinel(KindInternal)
	ErrCancelled       = kindSentinel(KindCancelled)
)

// sentinels maps each kind to its sentinel error.
var sentinels = map[ErrorKind]error{}

func kindSentinel(k ErrorKind) error {
	err := errors.New("ges: " + k.String() + " error")
	sentinels[k] = err
	return err
}

// Error is the error type of every failure reported by the library. Use
// errors.Is with the sentinel of its kind, or errors.As to get at its fields:
//
//	if errors.Is(err, gesbackups.ErrAPI) { ... }
//	var gerr *gesbackups.Error
//	if errors.As(err, &gerr) && gerr.Kind == gesbackups.KindAPI { ... }
//
// Its fields never hold a secret.
type Error struct {
	Kind       ErrorKind
	Message    string // human-readable; never empty
	HTTPStatus int    // 0 when there was no HTTP answer
	Code       string // "GES.7006", "APIGW.0301", ...; "" when none
	RequestID  string // X-Request-Id of the failing answer; "" when none

	cause error // the context's error when its deadline ended the call
}

// Unwrap returns the context error (context.DeadlineExceeded) when the
// deadline of the context given to ListBackups ended the call, else nil.
func (e *Error) Unwrap() error {
	return e.cause
}

// Is reports whether target is the sentinel error of e's kind (ErrAPI for
// KindAPI, ...), so that errors.Is(err, gesbackups.ErrAPI) holds.
func (e *Error) Is(target error) bool {
	s, ok := sentinels[e.Kind]
	return ok && s == target
}

// Error formats the error as "ges: <kind> error (HTTP <status>, code <code>,
// request id <id>): <message>", leaving out what is absent.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("ges: ")
	b.WriteString(e.Kind.String())
	b.WriteString(" error")
	var details []string
	if e.HTTPStatus != 0 {
		details = append(details, fmt.Sprintf("HTTP %d", e.HTTPStatus))
	}
	if e.Code != "" {
		details = append(details, "code "+e.Code)
	}
	if e.RequestID != "" {
		details = append(details, "request id "+e.RequestID)
	}
	if len(details) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(details, ", "))
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	return b.String()
}
