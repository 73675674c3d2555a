package main

import (
	"github.com/lanes-dev/lanes/engine"
	"github.com/lanes-dev/lanes/engine/symbols"
)

// runWorker serves the supervisor: it is the process cells run in.
func runWorker() error {
	return engine.RunWorker(symbols.Symbols)
}
