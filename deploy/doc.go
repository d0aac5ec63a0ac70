// Package deploy holds the tests that validate the Dockerfile and
// docker-compose.yml with the loaders Docker itself uses (BuildKit's
// Dockerfile parser and linter, the compose-spec loader). No engine is
// needed. Nothing imports this package, so those large modules stay out of
// the sambad binary.
package deploy
