#!/usr/bin/env bash
# Runs every test of Lanes: go vet, the concurrent packages under the race
# detector, then everything else (which includes the real Jupyter clients,
# the REPL in a terminal, the lessons and the corpus). Set CI=1 to make
# tests that need an installed tool fail instead of skip.
set -euo pipefail
cd "$(dirname "$0")"

go vet ./...

# go.mod and go.sum say exactly what the code imports.
go mod tidy -diff

# Concurrent code is tested concurrently: the supervisor and the worker,
# the run-time helpers of cells and the protocol, the generic standard
# library of cells (iter.Pull runs a goroutine), compiled cells, the
# kernel, displays, the notebook runner and the runtime.
race='/(engine|kernel|display|notebook|runtime|internal/(cellstop|cellrt|wire|genstd|compiled))(/|$)'
go test -race -count=1 $(go list ./... | grep -E "$race")

# The rest: these drive the built binary and real clients, where the race
# detector would only slow the interpreter down.
go test -count=1 -timeout 30m $(go list ./... | grep -v -E "$race")
