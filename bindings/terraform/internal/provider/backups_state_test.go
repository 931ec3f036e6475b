package provider

import (
	"context"
	"strings"
	"testing"
	"unsafe"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// nullConfig is a configuration of the data source with every attribute
// null but those given.
func nullConfig(attrs map[string]tftypes.Value) map[string]tftypes.Value {
	out := map[string]tftypes.Value{}
	for name, typ := range backupsType().AttributeTypes {
		out[name] = tftypes.NewValue(typ, nil)
		if v, ok := attrs[name]; ok {
			out[name] = v
		}
	}
	return out
}

// The state decodes as the data source's type, with every field of every
// backup, and its size bound holds for the longest numbers, so that the
// buffer is allocated once.
func TestEncodeBackupsState(t *testing.T) {
	yes := true
	long := strings.Repeat("x", 300)
	list := &gesbackups.BackupList{ID: "0123456789abcdef", TotalCount: 1 << 62}
	for i := 0; i < 100; i++ {
		list.Backups = append(list.Backups, gesbackups.Backup{
			ID: long[:i], Name: long[:2*i], BackupMethod: "manual", GraphID: long, GraphName: "g", Status: "success",
			StartTimestamp: -1 << 63, EndTimestamp: 1<<63 - 1, Size: 1 << 40, Duration: -5, Encrypted: &yes,
		})
	}
	list.Backups[7].Encrypted = nil
	args := nullConfig(map[string]tftypes.Value{
		"graph_id": tftypes.NewValue(tftypes.String, long), "most_recent": tftypes.NewValue(tftypes.Bool, true),
		"status":   tftypes.NewValue(tftypes.String, "success"),
		"timeouts": tftypes.NewValue(backupsType().AttributeTypes["timeouts"], map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, "5m")}),
	})
	b, err := encodeBackupsState(args, list)
	if err != nil {
		t.Fatal(err)
	}
	v, err := (&tfprotov6.DynamicValue{MsgPack: b}).Unmarshal(backupsType())
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]tftypes.Value
	must(t, v.As(&state))
	for name, want := range args {
		if name != "id" && name != "total_count" && name != "backups" && !state[name].Equal(want) {
			t.Errorf("%s = %v, want %v as configured", name, state[name], want)
		}
	}
	var backups []tftypes.Value
	must(t, state["backups"].As(&backups))
	var b7 map[string]tftypes.Value
	must(t, backups[7].As(&b7))
	if len(backups) != 100 || len(b7) != 17 || !b7["encrypted"].IsNull() || !b7["end_timestamp"].Equal(tftypes.NewValue(tftypes.Number, int64(1<<63-1))) {
		t.Errorf("%d backups; the 8th: %v", len(backups), b7)
	}

	head, err := encodeArguments(args)
	must(t, err)
	bound := len(head) + sizeBound(backupsFields().state, unsafe.Pointer(list))
	if len(b) > bound {
		t.Errorf("encoded %d bytes, bound %d", len(b), bound)
	}
	// One allocation, rounded up to the allocator's size class; a growth
	// would have doubled it.
	if cap(b) > bound+bound/4 {
		t.Errorf("the buffer grew: cap %d, bound %d", cap(b), bound)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The framework's Read answers with the same state as the provider's
// server: it is the same read.
func TestFrameworkReadIsTheServersRead(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", "token-of-the-test")
	p := &gesProvider{version: "test"}
	framework := providerserver.NewProtocol6(p)()
	ours := &server{ProviderServer: framework, provider: p}
	schema, err := framework.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	must(t, err)
	providerType := schema.Provider.ValueType().(tftypes.Object)
	attrs := map[string]tftypes.Value{}
	for name, typ := range providerType.AttributeTypes {
		attrs[name] = tftypes.NewValue(typ, nil)
	}
	attrs["endpoint"] = tftypes.NewValue(tftypes.String, e.URL)
	attrs["project_id"] = tftypes.NewValue(tftypes.String, "demo-project")
	attrs["auth_token"] = tftypes.NewValue(tftypes.String, "token-of-the-test")
	cfg, err := tfprotov6.NewDynamicValue(providerType, tftypes.NewValue(providerType, attrs))
	must(t, err)
	resp, err := framework.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{Config: &cfg})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, resp.Diagnostics)
	}

	for _, args := range []map[string]tftypes.Value{
		nil,
		{"backup_method": tftypes.NewValue(tftypes.String, "manual"), "most_recent": tftypes.NewValue(tftypes.Bool, true)},
		{"status": tftypes.NewValue(tftypes.String, "failed")},
	} {
		config, err := tfprotov6.NewDynamicValue(backupsType(), tftypes.NewValue(backupsType(), nullConfig(args)))
		must(t, err)
		read := func(s tfprotov6.ProviderServer) tftypes.Value {
			resp, err := s.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "ges_backups", Config: &config})
			if err != nil || len(resp.Diagnostics) > 0 || resp.State == nil {
				t.Fatalf("read: %v %v", err, resp.Diagnostics)
			}
			v, err := resp.State.Unmarshal(backupsType())
			must(t, err)
			return v
		}
		if a, b := read(framework), read(ours); !a.Equal(b) {
			t.Errorf("%v: the framework's state\n%v\nthe server's\n%v", args, a, b)
		}
	}
}
