package cli

import (
	"context"

	"github.com/sambad/sambad/webhook"
)

// startWebhooks delivers the webhook outbox until the returned stop is
// called; stop waits for deliveries in flight (each bounded by its request
// timeout). It stops with the engine, before the database closes: an event
// cut short is in the outbox still and goes at the next start.
func startWebhooks(d *webhook.Dispatcher) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	return func() { cancel(); <-done }
}
