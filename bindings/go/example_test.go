package gesbackups_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

func Example() {
	// Empty fields fall back to GES_ENDPOINT / HW_REGION_NAME, HW_PROJECT_ID,
	// HW_ACCESS_KEY and HW_SECRET_KEY or HW_AUTH_TOKEN, ...
	client, err := gesbackups.NewClient(gesbackups.Config{Region: "cn-north-4"})
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	list, err := client.ListBackups(ctx, gesbackups.Query{GraphName: "my-graph", Status: "success", MostRecent: true})
	var gerr *gesbackups.Error
	switch {
	case errors.As(err, &gerr) && gerr.Kind == gesbackups.KindAPI:
		log.Fatalf("GES said HTTP %d %s (request %s): %s", gerr.HTTPStatus, gerr.Code, gerr.RequestID, gerr.Message)
	case err != nil:
		log.Fatal(err)
	}
	for _, b := range list.Backups {
		fmt.Println(b.ID, b.Name, b.StartTime)
	}
}
