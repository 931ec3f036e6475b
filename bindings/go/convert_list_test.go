package gesbackups_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

// rawBackup is a backup of the service's JSON, absent fields nil.
type rawBackup struct {
	ID                 *string `json:"id"`
	Name               *string `json:"name"`
	BackupMethod       *string `json:"backupMethod"`
	GraphID            *string `json:"graphId"`
	GraphName          *string `json:"graphName"`
	GraphStatus        *string `json:"graphStatus"`
	GraphSizeTypeIndex *string `json:"graphSizeTypeIndex"`
	DataStoreVersion   *string `json:"dataStoreVersion"`
	Arch               *string `json:"arch"`
	Status             *string `json:"status"`
	StartTimestamp     int64   `json:"startTimestamp"`
	StartTime          *string `json:"startTime"`
	EndTimestamp       int64   `json:"endTimestamp"`
	EndTime            *string `json:"endTime"`
	Size               int64   `json:"size"`
	Duration           int64   `json:"duration"`
	Encrypted          *bool   `json:"encrypted"`
}

func (r rawBackup) want() gesbackups.Backup {
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return gesbackups.Backup{
		ID: s(r.ID), Name: s(r.Name), BackupMethod: s(r.BackupMethod), GraphID: s(r.GraphID),
		GraphName: s(r.GraphName), GraphStatus: s(r.GraphStatus), GraphSizeTypeIndex: s(r.GraphSizeTypeIndex),
		DataStoreVersion: s(r.DataStoreVersion), Arch: s(r.Arch), Status: s(r.Status),
		StartTimestamp: r.StartTimestamp, StartTime: s(r.StartTime), EndTimestamp: r.EndTimestamp,
		EndTime: s(r.EndTime), Size: r.Size, Duration: r.Duration, Encrypted: r.Encrypted,
	}
}

// The conversion shares the strings of repeated values and keeps them in a
// few large buffers: every field of every backup must still be the one the
// service sent, with few graphs (values found among the recent ones) and
// many (values pushed out of them and found again), and every Encrypted a
// *bool of its own.
func TestManyBackupsEveryField(t *testing.T) {
	for _, graphs := range []int{3, 60} {
		t.Run(fmt.Sprintf("%d graphs", graphs), func(t *testing.T) {
			e := tokenEmulator(t, "--backups", "1500", "--graphs", fmt.Sprint(graphs), "--seed", "11")
			got, err := newClient(t, configFor(e)).ListBackups(context.Background(), gesbackups.Query{})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]gesbackups.Backup{}
			for offset := 0; offset < 1500; offset += 1000 {
				for _, r := range fetchRaw(t, e.URL, offset) {
					want[*r.ID] = r.want()
				}
			}
			if len(got.Backups) != 1500 || len(want) != 1500 {
				t.Fatalf("got %d backups, the service has %d", len(got.Backups), len(want))
			}
			seen := map[*bool]bool{}
			for i, b := range got.Backups {
				if w := want[b.ID]; !reflect.DeepEqual(b, w) {
					t.Fatalf("backup %d:\n got %+v\nwant %+v", i, b, w)
				}
				if b.Encrypted != nil {
					if seen[b.Encrypted] {
						t.Fatalf("backup %d shares its Encrypted pointer", i)
					}
					seen[b.Encrypted] = true
				}
			}
		})
	}
}

// fetchRaw reads up to 1000 backups at offset straight from the emulator.
func fetchRaw(t *testing.T, url string, offset int) []rawBackup {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/v1.0/%s/graphs/backups?offset=%d&limit=1000", url, testProject, offset), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Auth-Token", testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		BackupList []rawBackup `json:"backupList"`
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", req.URL, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.BackupList
}
