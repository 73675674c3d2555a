// Package embedded holds the Go source that compiled cells build against:
// package lanes (runtime/), the packages of this module it imports, the
// compiled program's end of the display pipe (internal/compiled/childsink),
// and the module's go.mod and go.sum. internal/compiled writes it into a
// temporary module, so that `import "lanes"` in a compiled cell builds
// offline, with other modules taken from the module cache.
//
// The embedding is here, at the module's root, because go:embed reads only
// files below the embedding file's directory and this is the one directory
// that sees all of them: an embed in runtime/ would miss display/,
// internal/ and go.sum, and would add a name to the API that cells use.
// Embedding, rather than a generated copy kept in the repository, means a
// compiled cell always builds against the source its binary was built
// from, with nothing to regenerate. Test files are embedded too (a pattern
// cannot exclude them); the writer skips them.
package embedded

import "embed"

// FS is the embedded source, with paths relative to the module's root.
//
//go:embed go.mod go.sum
//go:embed runtime/*.go display/*.go internal/cellstop/*.go
//go:embed internal/compiled/childsink/*.go
var FS embed.FS
