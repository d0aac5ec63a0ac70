package cli

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestShutdownOrder(t *testing.T) {
	var order []string
	closer := func(name string, err error) func(context.Context) error {
		return func(context.Context) error { order = append(order, name); return err }
	}
	var sd shutdown
	// Registered in start-up order, which is not the stop order.
	sd.add(stageDatabase, "database", closer("database", nil))
	sd.add(stageSync, "sync", closer("sync", nil))
	sd.add(stageBrowser, "browser", closer("browser", errors.New("boom")))
	sd.add(stageEngine, "campaign engine", closer("engine", nil))
	sd.add(stageDatabase, "error log", closer("log", nil))
	err := sd.run(5 * time.Second)
	if got := strings.Join(order, ","); got != "engine,browser,sync,database,log" {
		t.Fatalf("stop order %s", got)
	}
	if err == nil || !strings.Contains(err.Error(), "browser: boom") {
		t.Fatalf("error %v", err)
	}
}

func TestShutdownHungPartDoesNotStarveTheDatabase(t *testing.T) {
	var sd shutdown
	dbClosed := false
	sd.add(stageBrowser, "browser", func(ctx context.Context) error {
		<-ctx.Done() // hangs until its budget runs out
		return ctx.Err()
	})
	sd.add(stageDatabase, "database", func(ctx context.Context) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		dbClosed = true
		return nil
	})
	err := sd.run(1500 * time.Millisecond)
	if !dbClosed {
		t.Fatal("the database was not closed after the browser hung")
	}
	if err == nil || !strings.Contains(err.Error(), "browser") {
		t.Fatalf("hung browser not reported: %v", err)
	}
}
