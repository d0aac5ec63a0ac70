// Package launcher finds a Chromium-family browser and starts it with Sambad's
// flags on the persistent WhatsApp profile.
//
// Resolution order: an explicit path (SAMBAD_CHROME_PATH), a bundled browser
// under resources/chrome beside the executable or in the data directory, a
// system browser, and finally (only when allowed) a bounded download into
// <data dir>/chrome. The profile directory is never deleted here.
package launcher
