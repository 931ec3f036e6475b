package gesbackups

/*
#include "gesbackups.h"
*/
import "C"

import "unsafe"

// Backup is one GES backup. A string field the service left out is "", an
// integer field it left out is 0, and Encrypted is nil unless the service said
// true or false.
type Backup struct {
	ID, Name, BackupMethod, GraphID, GraphName, GraphStatus, GraphSizeTypeIndex, DataStoreVersion, Arch, Status string
	StartTimestamp                                                                                              int64 // ms since the epoch
	StartTime                                                                                                   string
	EndTimestamp                                                                                                int64 // ms since the epoch
	EndTime                                                                                                     string
	Size, Duration                                                                                              int64 // MB, seconds
	Encrypted                                                                                                   *bool
}

// BackupList is the result of ListBackups: the backups, the backupCount the
// service reported, and the data source id, a function of the query alone.
type BackupList struct {
	ID         string
	TotalCount int64
	Backups    []Backup
}

// copyBackupList copies a GesBackupList into Go memory; the caller frees the
// C list afterwards.
func copyBackupList(l *C.GesBackupList) *BackupList {
	out := &BackupList{
		ID:         goStringOrEmpty(l.id),
		TotalCount: int64(l.total_count),
		Backups:    []Backup{},
	}
	if l.len == 0 || l.items == nil {
		return out
	}
	items := unsafe.Slice((*C.GesBackup)(unsafe.Pointer(l.items)), int(l.len))
	out.Backups = make([]Backup, len(items))
	for i := range items {
		out.Backups[i] = copyBackup(&items[i])
	}
	return out
}

func copyBackup(b *C.GesBackup) Backup {
	return Backup{
		ID:                 goStringOrEmpty(b.id),
		Name:               goStringOrEmpty(b.name),
		BackupMethod:       goStringOrEmpty(b.backup_method),
		GraphID:            goStringOrEmpty(b.graph_id),
		GraphName:          goStringOrEmpty(b.graph_name),
		GraphStatus:        goStringOrEmpty(b.graph_status),
		GraphSizeTypeIndex: goStringOrEmpty(b.graph_size_type_index),
		DataStoreVersion:   goStringOrEmpty(b.data_store_version),
		Arch:               goStringOrEmpty(b.arch),
		Status:             goStringOrEmpty(b.status),
		StartTimestamp:     int64(b.start_timestamp),
		StartTime:          goStringOrEmpty(b.start_time),
		EndTimestamp:       int64(b.end_timestamp),
		EndTime:            goStringOrEmpty(b.end_time),
		Size:               int64(b.size),
		Duration:           int64(b.duration),
		Encrypted:          encryptedFlag(int8(b.encrypted)),
	}
}

// encryptedFlag maps the C tri-state (1 true, 0 false, -1 absent) to *bool.
func encryptedFlag(v int8) *bool {
	switch v {
	case 1:
		t := true
		return &t
	case 0:
		f := false
		return &f
	}
	return nil
}
