package provider

import (
	"bytes"
	"context"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/vmihailenco/msgpack/v5"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// readBackups runs the query of a ges_backups configuration (a known object
// of backupsType) and returns the list with the configuration's attributes,
// or adds diagnostics and returns nil.
func readBackups(ctx context.Context, data *providerData, config tftypes.Value, diags *diag.Diagnostics) (*gesbackups.BackupList, map[string]tftypes.Value) {
	if !config.IsFullyKnown() {
		// Terraform reads a data source only once its arguments are known.
		diags.AddError("Unknown argument", "A ges_backups argument is not known yet; Terraform should have deferred this read. This is a bug in the CLI or the provider.")
		return nil, nil
	}
	var args map[string]tftypes.Value
	if err := config.As(&args); err != nil {
		diags.AddError("Unexpected configuration", err.Error()+"; this is a bug in the provider")
		return nil, nil
	}
	str := func(name string) string {
		var s string
		if v, ok := args[name]; ok && !v.IsNull() {
			_ = v.As(&s) // a string by the schema
		}
		return s
	}
	var mostRecent bool
	if v, ok := args["most_recent"]; ok && !v.IsNull() {
		_ = v.As(&mostRecent)
	}
	q := gesbackups.Query{
		GraphID: str("graph_id"), GraphName: str("graph_name"), BackupID: str("backup_id"), Name: str("name"),
		Status: str("status"), BackupMethod: str("backup_method"), MostRecent: mostRecent,
	}
	region := str("region")

	client, err := data.clientFor(region)
	if err != nil {
		// The library names a config key; the argument behind this client is region.
		addLibraryErrorOn(diags, "No ges client for the region", err, path.Root("region"))
		return nil, nil
	}
	tflog.Debug(ctx, "listing GES backups", map[string]any{
		"graph_id": q.GraphID, "graph_name": q.GraphName, "backup_id": q.BackupID, "name": q.Name,
		"status": q.Status, "backup_method": q.BackupMethod, "most_recent": q.MostRecent, "region": region,
	})
	// ctx is the request's: Terraform cancels it on Ctrl-C, and the library
	// then stops the listing.
	list, err := client.ListBackups(ctx, q)
	if err != nil {
		addLibraryError(diags, "Listing GES backups failed", err, append(append([]string{}, queryStringArgs...), queryBoolArgs...))
		return nil, nil
	}
	tflog.Debug(ctx, "listed GES backups", map[string]any{"id": list.ID, "total_count": list.TotalCount, "backups": len(list.Backups)})
	return list, args
}

// encodeBackupsState writes the state as the plugin protocol's msgpack: an
// object (a map by attribute name) holding the arguments as configured, id,
// total_count, and backups, a list of 17-attribute objects.
func encodeBackupsState(args map[string]tftypes.Value, list *gesbackups.BackupList) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(encodedSize(args, list))
	enc := msgpack.NewEncoder(&buf)
	names := make([]string, 0, len(args))
	for name := range args {
		if name != "id" && name != "total_count" && name != "backups" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if err := enc.EncodeMapLen(len(names) + 3); err != nil {
		return nil, err
	}
	for _, name := range names {
		if err := encodeArgument(enc, name, args[name]); err != nil {
			return nil, err
		}
	}
	_ = enc.EncodeString("id")
	_ = enc.EncodeString(list.ID)
	_ = enc.EncodeString("total_count")
	_ = enc.EncodeInt(list.TotalCount)
	_ = enc.EncodeString("backups")
	_ = enc.EncodeArrayLen(len(list.Backups))
	for i := range list.Backups {
		encodeBackup(enc, &list.Backups[i])
	}
	// The encoder writes to a bytes.Buffer, which does not fail.
	return buf.Bytes(), nil
}

// encodedSize bounds the encoded state from above, so that the buffer is
// allocated once (growing it would double it): per backup, 270 bytes of
// keys, headers and numbers, plus its strings.
func encodedSize(args map[string]tftypes.Value, list *gesbackups.BackupList) int {
	n := 256 + len(list.ID) + 64*len(args)
	for name, v := range args {
		var s string
		if v.Type().Is(tftypes.String) && !v.IsNull() && v.As(&s) == nil {
			n += len(name) + len(s)
		}
	}
	for i := range list.Backups {
		b := &list.Backups[i]
		n += 270 + len(b.ID) + len(b.Name) + len(b.BackupMethod) + len(b.GraphID) + len(b.GraphName) + len(b.GraphStatus) +
			len(b.GraphSizeTypeIndex) + len(b.DataStoreVersion) + len(b.Arch) + len(b.Status) + len(b.StartTime) + len(b.EndTime)
	}
	return n
}

// encodeArgument writes one argument: null, a string or a bool.
func encodeArgument(enc *msgpack.Encoder, name string, v tftypes.Value) error {
	_ = enc.EncodeString(name)
	switch {
	case v.IsNull():
		return enc.EncodeNil()
	case v.Type().Is(tftypes.String):
		var s string
		if err := v.As(&s); err != nil {
			return err
		}
		return enc.EncodeString(s)
	case v.Type().Is(tftypes.Bool):
		var b bool
		if err := v.As(&b); err != nil {
			return err
		}
		return enc.EncodeBool(b)
	}
	return fmt.Errorf("argument %s has the unexpected type %v", name, v.Type())
}

// encodeBackup writes one backup object; absent strings are "" and absent
// numbers 0, as in the Go package, and encrypted is null when unknown.
func encodeBackup(enc *msgpack.Encoder, b *gesbackups.Backup) {
	str := func(k, v string) { _ = enc.EncodeString(k); _ = enc.EncodeString(v) }
	num := func(k string, v int64) { _ = enc.EncodeString(k); _ = enc.EncodeInt(v) }
	_ = enc.EncodeMapLen(17)
	str("id", b.ID)
	str("name", b.Name)
	str("backup_method", b.BackupMethod)
	str("graph_id", b.GraphID)
	str("graph_name", b.GraphName)
	str("graph_status", b.GraphStatus)
	str("graph_size_type_index", b.GraphSizeTypeIndex)
	str("data_store_version", b.DataStoreVersion)
	str("arch", b.Arch)
	str("status", b.Status)
	num("start_timestamp", b.StartTimestamp)
	str("start_time", b.StartTime)
	num("end_timestamp", b.EndTimestamp)
	str("end_time", b.EndTime)
	num("size", b.Size)
	num("duration", b.Duration)
	_ = enc.EncodeString("encrypted")
	if b.Encrypted == nil {
		_ = enc.EncodeNil()
	} else {
		_ = enc.EncodeBool(*b.Encrypted)
	}
}
