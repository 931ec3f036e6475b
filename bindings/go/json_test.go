package gesbackups

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/ges-backups/ges-backups/bindings/go/emulatortest"
)

// libraryJSON lists q with ListBackups and with ListBackupsJSON,
// on one client of an emulator started with args.
func libraryJSON(t *testing.T, q Query, args ...string) (*BackupList, string) {
	t.Helper()
	e := emulatortest.Start(t, append([]string{"--auth-token", "t"}, args...)...)
	c, err := NewClient(Config{Endpoint: e.URL, ProjectID: "demo-project", AuthToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	list, err := c.ListBackups(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	js, err := c.ListBackupsJSON(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return list, string(js)
}

// json.Marshal of a list gives, byte for byte, the library's result JSON of
// the same listing when the service sent every field.
func TestMarshalIsTheLibraryJSON(t *testing.T) {
	cases := map[string][]string{
		"sample data":             nil,
		"every field":             {"--data", "testdata/every_field.json"},
		"1500 backups, 60 graphs": {"--backups", "1500", "--graphs", "60", "--seed", "5"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			list, want := libraryJSON(t, Query{}, args...)
			got, err := json.Marshal(list)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want {
				t.Fatalf("json.Marshal differs from the library's JSON:\n got %.600s\nwant %.600s", got, want)
			}
			if len(list.Backups) == 0 {
				t.Fatal("an empty listing proves nothing")
			}
		})
	}
	t.Run("no backups", func(t *testing.T) {
		list, want := libraryJSON(t, Query{GraphName: "no-such-graph"})
		if got, _ := json.Marshal(list); string(got) != want {
			t.Fatalf("got %s, want %s", got, want)
		}
	})
}

// json.Unmarshal of the library's JSON gives what ListBackups returns, also
// when the service left fields out (null in that JSON), and json.Marshal
// gives that JSON back with those nulls as "" and 0 (encrypted stays null).
// The answer with fields left out is scripted, as the emulator's own data
// always has every field but encrypted.
func TestJSONOfFieldsLeftOut(t *testing.T) {
	e := emulatortest.Start(t, "--auth-token", "t")
	c, err := NewClient(Config{Endpoint: e.URL, ProjectID: "demo-project", AuthToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sparse := map[string]any{"backupCount": 1, "backupList": []any{map[string]any{
		"id": "b-sparse", "name": "<only> & some", "status": "backing_up", "startTimestamp": 1893456000000, "size": 0,
	}}}
	answer := map[string]any{"times": 1, "action": map[string]any{"type": "status", "status": 200, "body": sparse}}
	q := Query{Limit: new(int)}
	*q.Limit = 10

	e.Fault(t, answer)
	list, err := c.ListBackups(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	e.Fault(t, answer)
	jsb, err := c.ListBackupsJSON(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	js := string(jsb)

	var decoded BackupList
	if err := json.Unmarshal([]byte(js), &decoded); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&decoded, list) {
		t.Fatalf("json.Unmarshal of the library's JSON:\n got %+v\nwant %+v", decoded, *list)
	}
	want := js
	for _, key := range []string{"backup_method", "graph_id", "graph_name", "graph_status", "graph_size_type_index",
		"data_store_version", "arch", "start_time", "end_time"} {
		want = strings.Replace(want, `"`+key+`":null`, `"`+key+`":""`, 1)
	}
	for _, key := range []string{"end_timestamp", "duration"} {
		want = strings.Replace(want, `"`+key+`":null`, `"`+key+`":0`, 1)
	}
	if strings.Count(js, ":null") != 12 || strings.Count(want, ":null") != 1 {
		t.Fatalf("the library's JSON has not the nulls this test expects: %s", js)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as the library: <, > and & as they are
	if err := enc.Encode(list); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSuffix(buf.String(), "\n"); got != want {
		t.Fatalf("json.Marshal:\n got %s\nwant %s", got, want)
	}
}
