// Package numbercheck runs number check jobs: up to models.MaxNumberCheck
// numbers checked one by one on WhatsApp through the Checker port, paced
// like a campaign (campaign.Presets), and written to the contacts they came
// from with the date.
//
// One runner goroutine, owned by whoever calls Runner.Run, works the oldest
// job not finished. A job lives in the database: after a restart the runner
// picks it up where it was (a number whose check was in flight is checked
// again; checking sends nothing, so that is harmless), cancelled jobs keep
// what they found, and while WhatsApp is not ready the job waits in state
// "waiting" with the reason and goes on by itself when it is. Shutdown: cancel
// Run's context, in the campaign engine's stage (before the browser stops).
package numbercheck
