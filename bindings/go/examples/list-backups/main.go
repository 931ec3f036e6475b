// Command list-backups prints the GES backups of a project, newest first.
//
// It takes its configuration from the environment (GES_ENDPOINT or
// HW_REGION_NAME, HW_PROJECT_ID, and HW_ACCESS_KEY/HW_SECRET_KEY or
// HW_AUTH_TOKEN) and its filters from flags. Try it against the emulator:
//
//	make install PREFIX=$HOME/.local             # at the repository root
//	export PKG_CONFIG_PATH=$HOME/.local/lib/pkgconfig
//	$HOME/.local/bin/ges-emulator --listen 127.0.0.1:8089 --auth-token t &
//	GES_ENDPOINT=http://127.0.0.1:8089 HW_PROJECT_ID=demo-project HW_AUTH_TOKEN=t \
//	  go run ./examples/list-backups -method manual
//
// Without cgo it needs no pkg-config at build time and loads the installed
// shared library at run time:
//
//	CGO_ENABLED=0 go build -o list-backups ./examples/list-backups
//	GES_BACKUPS_LIBRARY=$HOME/.local/lib/libges_backups.so.1 GES_ENDPOINT=http://127.0.0.1:8089 \
//	  HW_PROJECT_ID=demo-project HW_AUTH_TOKEN=t ./list-backups -method manual
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"text/tabwriter"
	"time"

	gesbackups "github.com/ges-backups/ges-backups/bindings/go"
)

func main() {
	var q gesbackups.Query
	flag.StringVar(&q.GraphID, "graph-id", "", "only this graph's backups")
	flag.StringVar(&q.GraphName, "graph-name", "", "backups of the graph with this name")
	flag.StringVar(&q.Name, "name", "", "backups with this name")
	flag.StringVar(&q.Status, "status", "", "backups in this status (backing_up, success, failed)")
	flag.StringVar(&q.BackupMethod, "method", "", "auto or manual backups")
	flag.BoolVar(&q.MostRecent, "most-recent", false, "only the most recent matching backup")
	timeout := flag.Duration("timeout", time.Minute, "time budget of the whole listing")
	flag.Parse()

	client, err := gesbackups.NewClient(gesbackups.Config{})
	if err != nil {
		fail(err)
	}
	defer client.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	list, err := client.ListBackups(ctx, q)
	if err != nil {
		fail(err)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tGRAPH\tMETHOD\tSTATUS\tSTART\tSIZE_MB")
	for _, b := range list.Backups {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", b.ID, b.Name, b.GraphName, b.BackupMethod, b.Status, b.StartTime, b.Size)
	}
	w.Flush()
	fmt.Fprintf(os.Stderr, "%d of %d backups (id %s)\n", len(list.Backups), list.TotalCount, list.ID)
}

func fail(err error) {
	var gerr *gesbackups.Error
	if errors.As(err, &gerr) {
		fmt.Fprintf(os.Stderr, "list-backups: %v\n", gerr)
	} else {
		fmt.Fprintf(os.Stderr, "list-backups: %v\n", err)
	}
	os.Exit(1)
}
