package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// backupsModel is the ges_backups data source: the query arguments of SPEC 4
// (without offset, limit and deadline_ms) and the computed result.
type backupsModel struct {
	GraphID      types.String  `tfsdk:"graph_id"`
	GraphName    types.String  `tfsdk:"graph_name"`
	BackupID     types.String  `tfsdk:"backup_id"`
	Name         types.String  `tfsdk:"name"`
	Status       types.String  `tfsdk:"status"`
	BackupMethod types.String  `tfsdk:"backup_method"`
	MostRecent   types.Bool    `tfsdk:"most_recent"`
	ID           types.String  `tfsdk:"id"`
	TotalCount   types.Int64   `tfsdk:"total_count"`
	Backups      []backupModel `tfsdk:"backups"`
}

// backupModel is one element of backups: the 17 fields of a backup.
type backupModel struct {
	ID                 types.String `tfsdk:"id"`
	Name               types.String `tfsdk:"name"`
	BackupMethod       types.String `tfsdk:"backup_method"`
	GraphID            types.String `tfsdk:"graph_id"`
	GraphName          types.String `tfsdk:"graph_name"`
	GraphStatus        types.String `tfsdk:"graph_status"`
	GraphSizeTypeIndex types.String `tfsdk:"graph_size_type_index"`
	DataStoreVersion   types.String `tfsdk:"data_store_version"`
	Arch               types.String `tfsdk:"arch"`
	Status             types.String `tfsdk:"status"`
	StartTimestamp     types.Int64  `tfsdk:"start_timestamp"`
	StartTime          types.String `tfsdk:"start_time"`
	EndTimestamp       types.Int64  `tfsdk:"end_timestamp"`
	EndTime            types.String `tfsdk:"end_time"`
	Size               types.Int64  `tfsdk:"size"`
	Duration           types.Int64  `tfsdk:"duration"`
	Encrypted          types.Bool   `tfsdk:"encrypted"`
}

// query converts the arguments; null arguments are no filter.
func (m backupsModel) query() gesbackups.Query {
	return gesbackups.Query{
		GraphID:      m.GraphID.ValueString(),
		GraphName:    m.GraphName.ValueString(),
		BackupID:     m.BackupID.ValueString(),
		Name:         m.Name.ValueString(),
		Status:       m.Status.ValueString(),
		BackupMethod: m.BackupMethod.ValueString(),
		MostRecent:   m.MostRecent.ValueBool(),
	}
}

// setResult fills the computed attributes from a library result.
func (m *backupsModel) setResult(l *gesbackups.BackupList) {
	m.ID = types.StringValue(l.ID)
	m.TotalCount = types.Int64Value(l.TotalCount)
	m.Backups = make([]backupModel, len(l.Backups))
	for i, b := range l.Backups {
		m.Backups[i] = backupModel{
			ID:                 types.StringValue(b.ID),
			Name:               types.StringValue(b.Name),
			BackupMethod:       types.StringValue(b.BackupMethod),
			GraphID:            types.StringValue(b.GraphID),
			GraphName:          types.StringValue(b.GraphName),
			GraphStatus:        types.StringValue(b.GraphStatus),
			GraphSizeTypeIndex: types.StringValue(b.GraphSizeTypeIndex),
			DataStoreVersion:   types.StringValue(b.DataStoreVersion),
			Arch:               types.StringValue(b.Arch),
			Status:             types.StringValue(b.Status),
			StartTimestamp:     types.Int64Value(b.StartTimestamp),
			StartTime:          types.StringValue(b.StartTime),
			EndTimestamp:       types.Int64Value(b.EndTimestamp),
			EndTime:            types.StringValue(b.EndTime),
			Size:               types.Int64Value(b.Size),
			Duration:           types.Int64Value(b.Duration),
			Encrypted:          types.BoolPointerValue(b.Encrypted),
		}
	}
}
