package gesbackups

import "unsafe"

// Backup, its fields and the C mirror cBackup are generated from the
// library's schema: schema_gen.go.

// BackupList is the result of ListBackups: the data source id, a function of
// the query alone, the backupCount the service reported (before the query's
// filters), and the backups. Its json tags give the library's result JSON,
// as Backup's do.
type BackupList struct {
	ID         string   `json:"id"`
	TotalCount int64    `json:"total_count"`
	Backups    []Backup `json:"backups"`
}

// copyBackupList copies a GesBackupList into Go memory; the caller frees the
// C list afterwards. It makes about 20 allocations for 10,000 backups, where
// one C.GoString per string made 12 per backup: the strings come from a
// stringCopier, and every Encrypted points into one []bool (each backup still
// has a *bool of its own), made only when a backup has one. The copy of each
// field is generated (stringCopier.copyBackup, schema_gen.go).
//
// The []Backup it must return sets the floor of its cost: 232 bytes and 13
// pointer words a backup that the runtime zeroes and the garbage collector
// scans (BenchmarkListArray10k measures that floor alone).
func copyBackupList(l *cBackupList) *BackupList {
	out := &BackupList{
		ID:         goString(l.id),
		TotalCount: l.total_count,
		Backups:    []Backup{},
	}
	if l.len == 0 || l.items == nil {
		return out
	}
	items := unsafe.Slice(l.items, int(l.len))
	out.Backups = make([]Backup, len(items))
	var s stringCopier
	for i := range items {
		s.left = len(items) - i
		s.copyBackup(&out.Backups[i], &items[i])
	}
	return out
}

// stringCopier makes the Go strings of one list with few allocations, where
// C.GoString makes one per string (12 per backup). It copies the bytes into
// chunks of up to chunkMax bytes and makes each string a substring of a chunk
// with unsafe.String; bytes of a chunk are written once, before the string
// over them is made, and never again, so the strings are immutable as Go
// requires. The 8 fields that repeat across backups (graph, method, status,
// ...) get one string per distinct value, a constant for the values the
// service documents (knownValue).
//
// The trade-off: a string kept alive keeps its whole chunk alive, at most
// chunkMax bytes (the ids, names and times of about 600 backups). The strings
// of a list usually live and die together, so this rarely costs anything; a
// program that keeps a few strings of a large list for long, and drops the
// rest, can copy them with strings.Clone.
type stringCopier struct {
	chunk  []byte // the chunk being filled: its free space is past len
	left   int    // backups left to copy, the current one included
	recent [repeatedFields][recentMax]string
	next   [repeatedFields]int // where each repeated field's next recent value goes
	flags  []bool              // where the *bool fields point: see flag
	shared map[string]string   // values pushed out of recent, up to sharedMax
}

const (
	chunkMax     = 64 << 10 // bytes: bounds what one kept string keeps alive
	bytesPerItem = 128      // a guess of the bytes of a backup's unique strings (about 110)
	recentMax    = 8        // recent values per repeated field, scanned first
	sharedMax    = 4096     // bounds the map when values hardly repeat
)

// unique copies a string that is usually different in every backup.
func (s *stringCopier) unique(p *byte) string {
	if p == nil {
		return ""
	}
	return s.copy(cBytes(p))
}

// flag is a C tri-state (1 true, 0 false, -1 absent) as a *bool, nil when
// absent: each a pointer of its own into a []bool made for the backups
// left, only when a backup has a value.
func (s *stringCopier) flag(v int8) *bool {
	if v != 0 && v != 1 {
		return nil
	}
	if len(s.flags) == cap(s.flags) {
		s.flags = make([]bool, 0, max(s.left, 1))
	}
	s.flags = append(s.flags, v == 1)
	return &s.flags[len(s.flags)-1]
}

// repeated returns the string of repeated field f (0 to repeatedFields-1), the string of an
// earlier backup when equal. The field's last few distinct values are scanned
// first, cheaper than hashing; the map holds the values pushed out of them
// (a list with many graphs).
func (s *stringCopier) repeated(f int, p *byte) string {
	if p == nil {
		return ""
	}
	b := cBytes(p)
	if len(b) == 0 {
		return ""
	}
	recent := &s.recent[f]
	for _, v := range recent {
		// The first byte first: most values that differ differ there.
		if len(v) == len(b) && v[0] == b[0] && v == string(b) { // no allocation
			return v
		}
	}
	v, ok := s.shared[string(b)]
	if !ok {
		if v, ok = knownValue(b); !ok {
			v = s.copy(b)
		}
	}
	if old := recent[s.next[f]]; old != "" && len(s.shared) < sharedMax {
		if s.shared == nil {
			s.shared = make(map[string]string)
		}
		s.shared[old] = old
	}
	recent[s.next[f]] = v
	s.next[f] = (s.next[f] + 1) % recentMax
	return v
}

// copy copies b into the chunk and returns the string over the copy.
func (s *stringCopier) copy(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(s.chunk)-len(s.chunk) < len(b) {
		// Sized for the backups left, so that a short list gets a short chunk.
		s.chunk = make([]byte, 0, max(len(b), min(chunkMax, s.left*bytesPerItem)))
	}
	at := len(s.chunk)
	s.chunk = append(s.chunk, b...)
	return unsafe.String(&s.chunk[at], len(b))
}
