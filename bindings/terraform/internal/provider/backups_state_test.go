package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// encodedSize is an upper bound of the encoded state, even for the longest
// numbers, so that the state's buffer is allocated once.
func TestEncodedSizeIsAnUpperBound(t *testing.T) {
	yes := true
	long := strings.Repeat("x", 300)
	list := &gesbackups.BackupList{ID: "0123456789abcdef", TotalCount: 1 << 62}
	for i := 0; i < 100; i++ {
		list.Backups = append(list.Backups, gesbackups.Backup{
			ID: long[:i], Name: long[:2*i], BackupMethod: "manual", GraphID: long, GraphName: "g", Status: "success",
			StartTimestamp: -1 << 63, EndTimestamp: 1<<63 - 1, Size: 1 << 40, Duration: -5, Encrypted: &yes,
		})
	}
	args := map[string]tftypes.Value{
		"graph_id": tftypes.NewValue(tftypes.String, long), "name": tftypes.NewValue(tftypes.String, nil),
		"most_recent": tftypes.NewValue(tftypes.Bool, true), "status": tftypes.NewValue(tftypes.String, "success"),
		"id": tftypes.NewValue(tftypes.String, nil), "total_count": tftypes.NewValue(tftypes.Number, nil),
		"backups": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil),
	}
	b, err := encodeBackupsState(args, list)
	if err != nil {
		t.Fatal(err)
	}
	if bound := encodedSize(args, list); len(b) > bound {
		t.Errorf("encoded %d bytes, bound %d", len(b), bound)
	}
	// One allocation, rounded up to the allocator's size class; a growth
	// would have doubled it.
	if bound := encodedSize(args, list); cap(b) > bound+bound/4 {
		t.Errorf("the buffer grew: cap %d, bound %d", cap(b), bound)
	}
}
