package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// backupsState builds the data source's state value directly as tftypes
// values, for the framework's Read path: the arguments as the configuration
// gave them, and the computed id, total_count and backups. The framework's
// reflection (a struct of types.String ... set with State.Set) cost about
// 0.5 ms per backup. The provider's server skips even this (backups_read.go).
func backupsState(typ tftypes.Object, config tftypes.Value, list *gesbackups.BackupList) (tftypes.Value, error) {
	listType, ok := typ.AttributeTypes["backups"].(tftypes.List)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("backups is a %v, want a list", typ.AttributeTypes["backups"])
	}
	backupType, ok := listType.ElementType.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("an element of backups is a %v, want an object", listType.ElementType)
	}

	attrs := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	if err := config.As(&attrs); err != nil {
		return tftypes.Value{}, err
	}
	attrs["id"] = tftypes.NewValue(tftypes.String, list.ID)
	attrs["total_count"] = tftypes.NewValue(tftypes.Number, list.TotalCount)

	elems := make([]tftypes.Value, len(list.Backups))
	for i := range list.Backups {
		elems[i] = tftypes.NewValue(backupType, backupAttributes(&list.Backups[i]))
	}
	attrs["backups"] = tftypes.NewValue(listType, elems)
	return tftypes.NewValue(typ, attrs), nil
}

// backupAttributes are the 17 attributes of one backup. Absent strings are
// "" and absent numbers 0, as in the Go package; encrypted is null when the
// service does not say.
func backupAttributes(b *gesbackups.Backup) map[string]tftypes.Value {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	num := func(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	encrypted := tftypes.NewValue(tftypes.Bool, nil)
	if b.Encrypted != nil {
		encrypted = tftypes.NewValue(tftypes.Bool, *b.Encrypted)
	}
	return map[string]tftypes.Value{
		"id":                    str(b.ID),
		"name":                  str(b.Name),
		"backup_method":         str(b.BackupMethod),
		"graph_id":              str(b.GraphID),
		"graph_name":            str(b.GraphName),
		"graph_status":          str(b.GraphStatus),
		"graph_size_type_index": str(b.GraphSizeTypeIndex),
		"data_store_version":    str(b.DataStoreVersion),
		"arch":                  str(b.Arch),
		"status":                str(b.Status),
		"start_timestamp":       num(b.StartTimestamp),
		"start_time":            str(b.StartTime),
		"end_timestamp":         num(b.EndTimestamp),
		"end_time":              str(b.EndTime),
		"size":                  num(b.Size),
		"duration":              num(b.Duration),
		"encrypted":             encrypted,
	}
}
