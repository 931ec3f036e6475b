package gesbackups_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// The emulator's default data: the API page's three sample backups, in the
// order of docs/contract.md, "Query" (start_timestamp descending, then id).
const (
	sampleAuto     = "7ed3f51d-816d-4651-9129-fe21b64b5c91" // graph ges060803_nodelete, auto, newest
	sampleManual2  = "604bfb46-04dd-45fc-a9ae-df24a0705b9d" // graph ges060802_nodelete, manual
	sampleManual1  = "ada3e720-ab87-48cb-bff7-3ec5ae1a9652" // graph ges060803_nodelete, manual, oldest
	sampleGraph803 = "4c5f882d-a813-4d78-a8e3-6d3212ddd121"
)

// everyField is testdata/every_field.json as the package must return it.
var everyField = []gesbackups.Backup{
	{
		ID: "b1-encrypted", Name: "graph-one-20300101000000", BackupMethod: "manual",
		GraphID: "g-1111", GraphName: "graph-one", GraphStatus: "200", GraphSizeTypeIndex: "3",
		DataStoreVersion: "2.3.14", Arch: "aarch64", Status: "backing_up",
		StartTimestamp: 1893456000123, StartTime: "2030-01-01T00:00:00",
		EndTimestamp: 1893459600456, EndTime: "2030-01-01T01:00:00",
		Size: 5000000000, Duration: 3600, Encrypted: ptr(true),
	},
	{
		ID: "b2-plain", Name: "graph-two_20210609203323_auto", BackupMethod: "auto",
		GraphID: "g-2222", GraphName: "graph-two", GraphStatus: "400", GraphSizeTypeIndex: "0",
		DataStoreVersion: "2.2.21", Arch: "x86_64", Status: "failed",
		StartTimestamp: 1623242004000, StartTime: "2021-06-09T12:33:24",
		EndTimestamp: 1623242005000, EndTime: "2021-06-09T12:33:25",
		Size: 0, Duration: 1, Encrypted: ptr(false),
	},
	{
		ID: "b3-unknown", Name: "nom-éàü-日本", BackupMethod: "manual",
		GraphID: "g-3333", GraphName: "graph three", GraphStatus: "201", GraphSizeTypeIndex: "1",
		DataStoreVersion: "2.2.23", Arch: "x86_64", Status: "success",
		StartTimestamp: 1623160513000, StartTime: "2021-06-08T13:55:13",
		EndTimestamp: 1623160568000, EndTime: "2021-06-08T13:56:08",
		Size: 1, Duration: 54, Encrypted: nil,
	},
}

// Every field of every backup arrives intact, over both API versions:
// strings (UTF-8 too), int64 values beyond 32 bits, and encrypted as true,
// false and absent (nil).
func TestRoundTripOfEveryField(t *testing.T) {
	e := tokenEmulator(t, "--data", "testdata/every_field.json")
	for _, api := range []string{"v1.0", "v2"} {
		t.Run(api, func(t *testing.T) {
			cfg := configFor(e)
			cfg.APIVersion = api
			c := newClient(t, cfg)
			got, err := c.ListBackups(context.Background(), gesbackups.Query{})
			if err != nil {
				t.Fatal(err)
			}
			if got.TotalCount != 3 {
				t.Errorf("TotalCount = %d, want 3", got.TotalCount)
			}
			if len(got.ID) == 0 {
				t.Error("empty data source id")
			}
			if !reflect.DeepEqual(got.Backups, everyField) {
				t.Errorf("backups differ:\n got %+v\nwant %+v", got.Backups, everyField)
			}
		})
	}
}

func TestDefaultDataNewestFirst(t *testing.T) {
	e := tokenEmulator(t)
	c := newClient(t, configFor(e))
	got, err := c.ListBackups(context.Background(), gesbackups.Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{sampleAuto, sampleManual2, sampleManual1}
	if !slices.Equal(ids(got), want) || got.TotalCount != 3 {
		t.Fatalf("got %v (total %d), want %v (total 3)", ids(got), got.TotalCount, want)
	}
	b := got.Backups[0]
	if b.Name != "ges060803_nodelete_20210609203323_auto" || b.BackupMethod != "auto" || b.Duration != 0 ||
		b.StartTimestamp != 1623242004000 || b.DataStoreVersion != "2.2.21" || b.Encrypted != nil {
		t.Errorf("first sample backup: %+v", b)
	}
}

func TestQueryArguments(t *testing.T) {
	e := tokenEmulator(t)
	c := newClient(t, configFor(e))
	for _, tc := range []struct {
		name  string
		q     gesbackups.Query
		want  []string
		total int64
	}{
		{"all", gesbackups.Query{}, []string{sampleAuto, sampleManual2, sampleManual1}, 3},
		{"graph_id", gesbackups.Query{GraphID: sampleGraph803}, []string{sampleAuto, sampleManual1}, 2},
		{"graph_name", gesbackups.Query{GraphName: "ges060802_nodelete"}, []string{sampleManual2}, 3},
		{"backup_id", gesbackups.Query{BackupID: sampleManual1}, []string{sampleManual1}, 3},
		{"name", gesbackups.Query{Name: "ges060802_nodelete-20210608135523"}, []string{sampleManual2}, 3},
		{"status success", gesbackups.Query{Status: "success"}, []string{sampleAuto, sampleManual2, sampleManual1}, 3},
		{"status failed", gesbackups.Query{Status: "failed"}, []string{}, 3},
		{"backup_method", gesbackups.Query{BackupMethod: "manual"}, []string{sampleManual2, sampleManual1}, 3},
		{"most_recent", gesbackups.Query{MostRecent: true}, []string{sampleAuto}, 3},
		{"most_recent manual", gesbackups.Query{MostRecent: true, BackupMethod: "manual"}, []string{sampleManual2}, 3},
		{"graph and method", gesbackups.Query{GraphID: sampleGraph803, BackupMethod: "manual"}, []string{sampleManual1}, 2},
		{"offset", gesbackups.Query{Offset: ptr(1), Limit: ptr(1)}, []string{sampleManual2}, 3},
		{"limit alone", gesbackups.Query{Limit: ptr(2)}, []string{sampleAuto, sampleManual2}, 3},
		{"offset alone", gesbackups.Query{Offset: ptr(2)}, []string{sampleManual1}, 3},
		{"offset past the end", gesbackups.Query{Offset: ptr(10), Limit: ptr(5)}, []string{}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.ListBackups(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), tc.want) {
				t.Errorf("ids = %v, want %v", ids(got), tc.want)
			}
			if got.TotalCount != tc.total {
				t.Errorf("TotalCount = %d, want %d", got.TotalCount, tc.total)
			}
			if got.Backups == nil {
				t.Error("Backups is nil; want an empty slice when nothing matches")
			}
		})
	}
}

// The data source id is a function of the query alone.
func TestDataSourceID(t *testing.T) {
	e := tokenEmulator(t)
	c := newClient(t, configFor(e))
	id := func(q gesbackups.Query) string {
		t.Helper()
		l, err := c.ListBackups(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		return l.ID
	}
	queries := []gesbackups.Query{
		{},
		{Name: "a"},
		{GraphName: "a"},
		{MostRecent: true},
		{Offset: ptr(0)},
		{Offset: ptr(1)},
		{Status: "success", BackupMethod: "auto"},
	}
	seen := map[string]int{}
	for i, q := range queries {
		first := id(q)
		if again := id(q); again != first {
			t.Errorf("query %d: id %q then %q", i, first, again)
		}
		if j, dup := seen[first]; dup {
			t.Errorf("queries %d and %d share the id %q", j, i, first)
		}
		seen[first] = i
	}
	other := newClient(t, configFor(e))
	l, err := other.ListBackups(context.Background(), gesbackups.Query{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != id(gesbackups.Query{Name: "a"}) {
		t.Error("two clients give one query different ids")
	}
}

// Paging through many backups with small pages returns each once, in order.
func TestPagingThroughEverything(t *testing.T) {
	e := tokenEmulator(t, "--backups", "237", "--graphs", "5", "--seed", "7")
	cfg := configFor(e)
	cfg.PageSize = ptr(10)
	cfg.MaxConcurrency = ptr(3)
	c := newClient(t, cfg)
	got, err := c.ListBackups(context.Background(), gesbackups.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Backups) != 237 || got.TotalCount != 237 {
		t.Fatalf("got %d backups, total %d; want 237", len(got.Backups), got.TotalCount)
	}
	seen := map[string]bool{}
	for i, b := range got.Backups {
		if seen[b.ID] {
			t.Fatalf("backup %s twice", b.ID)
		}
		seen[b.ID] = true
		if i > 0 {
			prev := got.Backups[i-1]
			if prev.StartTimestamp < b.StartTimestamp || (prev.StartTimestamp == b.StartTimestamp && prev.ID > b.ID) {
				t.Fatalf("out of order at %d: %s (%d) before %s (%d)", i, prev.ID, prev.StartTimestamp, b.ID, b.StartTimestamp)
			}
		}
	}
}

// Config keys left empty fall back to their environment variables.
func TestEnvironmentFallback(t *testing.T) {
	e := tokenEmulator(t)
	t.Setenv("GES_ENDPOINT", e.URL)
	t.Setenv("HW_PROJECT_ID", testProject)
	t.Setenv("HW_AUTH_TOKEN", testToken)
	t.Setenv("HW_ACCESS_KEY", "")
	t.Setenv("HW_SECRET_KEY", "")
	c := newClient(t, gesbackups.Config{})
	got, err := c.ListBackups(context.Background(), gesbackups.Query{MostRecent: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(got), []string{sampleAuto}) {
		t.Fatalf("got %v", ids(got))
	}
}

// AK/SK signing against an emulator that checks signatures.
func TestAccessKeySigning(t *testing.T) {
	const ak, sk = "TESTAKEMULATOR", "test-sk-emulator-not-a-real-secret"
	e := emulatortest.Start(t, "--access-key", ak, "--secret-key", sk)
	c := newClient(t, gesbackups.Config{Endpoint: e.URL, ProjectID: testProject, AccessKey: ak, SecretKey: sk, SecurityToken: "temporary-token-value"})
	got, err := c.ListBackups(context.Background(), gesbackups.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Backups) != 3 {
		t.Fatalf("got %d backups", len(got.Backups))
	}
}
