# Sambad — the README's commands.
.PHONY: run test test-go fuzz bench release

run:
	go run .

# Every test: installs what the tests need (Chromium, pgbouncer, PostgreSQL), then runs them.
test:
	./scripts/test-deps.sh
	$(MAKE) test-go
	$(MAKE) fuzz

# One package at a time: several packages drive real Chromium, and on a
# 2-core machine running them side by side starves their bounded waits.
test-go:
	go test -p 1 -count=1 -timeout 40m ./...

# A short run of every fuzz target.
fuzz:
	./scripts/fuzz.sh 10s

bench:
	go test -run '^$$' -bench . -benchtime 1x ./...

# dist/sambad-<os>-<arch>/ with the binary and a bundled Chromium, plus an archive (see README: Releases).
release:
	./scripts/release.sh
