// Command consumer is a program of a module of its own that uses package
// gesbackups as a user's program does (run_tests.sh builds it outside the
// repository, vendored, against an installed prefix). It lists every backup
// of the GES the environment names (GES_ENDPOINT, HW_PROJECT_ID,
// HW_AUTH_TOKEN, ...) and prints the list as JSON.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

func main() {
	client, err := gesbackups.NewClient(gesbackups.Config{})
	if err != nil {
		fail(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	list, err := client.ListBackups(ctx, gesbackups.Query{})
	if err != nil {
		fail(err)
	}
	out, err := json.Marshal(list)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "consumer:", err)
	os.Exit(1)
}
