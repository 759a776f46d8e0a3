// Package iggyconsensus is the Go binding of libiggy_consensus, through its C ABI
// (cgo): Apache Iggy's consensus wire format (validation, sealing, the 256-byte header
// views, SendMessages batches) and its reference-counted, 4096-aligned message buffers.
//
// # Buffers
//
// The memory of a message belongs to the library, not to the Go heap; Go holds small
// handles to it and reads and writes it in place through []byte slices from the Bytes
// methods (no copy):
//
//   - Buf: unique, mutable, growable. Build or receive a message in it, then split or
//     freeze it.
//   - Prefix: the unique, writable head of a split, e.g. a header to rewrite in place.
//   - Frozen: a shared, immutable, reference-counted view. Clone and Slice cost one
//     atomic add and no copy; fan a frame out to many goroutines with Clone.
//
// Buf.SplitAt gives a Prefix and a Frozen tail sharing one allocation; Prefix.Coalesce
// reunites them into one Frozen without copying. Coalesce always yields the whole
// original allocation, even if the tail was narrowed with Slice (the reference's
// quirk, kept on purpose).
//
// # Ownership
//
// Every handle a function returns belongs to the caller, who must Close it once; Close
// is idempotent. A consuming method (Buf.SplitAt, Buf.Freeze, Prefix.Freeze,
// Prefix.Coalesce, Frozen.SplitAt) empties its receiver (and Coalesce its tail) on
// success only: on any error nothing changes and nothing is lost, every input is
// still the caller's. An empty handle's Close does nothing and its other methods
// return ErrEmptyHandle. A runtime cleanup frees a live handle that becomes
// unreachable, as a safety net (for a Frozen, one per library handle: its Clones
// share it, and it runs once all of them are unreachable); never rely on it, because
// a slice from Bytes does not keep its handle reachable: keep the handle, and its
// Close, after the last use of the slice, and do not use the slice after Close (nor,
// for a Buf, after a Reserve, which may move the data).
//
// # Goroutines
//
// The C library's &/&mut rule, in Go terms: methods that only read a handle may run
// concurrently on one handle, the others need it exclusively. On a Frozen, Bytes, Len,
// IsEmpty, Clone, Slice, and its use as the tail of Prefix.Aliases and
// Prefix.CanCoalesce may run concurrently; SplitAt, Coalesce and Close need it alone.
// A Buf or a Prefix is used by one goroutine at a time, and so is a FrameReader or a
// FrameWriter (one of each per connection may run on different goroutines). Distinct handles sharing one
// allocation (clones, slices, a prefix and its tail) may be used and closed on
// different goroutines: the count is atomic. Validation and sealing are pure and
// re-entrant, and so are DecodeBatch, EncodeBatch (with exclusive use of its Buf) and a
// Batch's iteration.
//
// # Batches
//
// A SendMessages Prepare carries a batch after its header (docs/protocol.md, "Batches"): a 256-byte
// batch header, then one frame per message. DecodeBatch runs the library's checks
// B1–B11 on a whole frame, every checksum included, in one cgo call, and returns a
// Batch whose Blob, and whose messages' Payload and UserHeaders, are sub-slices of the
// frame (no copy). Batch.Messages is a range-over-func iterator (Batch.All a slice)
// that walks the validated blob in Go: no cgo call and no allocation per message.
// EncodeBatch appends a batch body, checksums computed by the library, to a Buf that
// already holds the 256 header bytes. It passes the C library an array of structs
// pointing to the payloads, built in Go memory with each payload pinned by a
// runtime.Pinner for the call, as the cgo pointer rules require; payloads are
// copied once, into the Buf.
//
// # Streams
//
// FrameReader and FrameWriter move frames over any io.Reader and io.Writer (a
// *net.TCPConn, a *tls.Conn, a net.Pipe), on the library's sans-I/O reader and
// writer (docs/c-api.md); the caller's goroutine does every Read and Write.
//
//   - FrameReader.Next reads straight into memory the library offers (no bufio, no
//     intermediate copy; ReadAhead bytes per Read between frames, a large body in
//     place in its own buffer) and returns each frame in a Buf of its own. Each header
//     is checked as soon as it is held (a hostile size costs no allocation), each frame
//     as ReaderConfig.Validate says once it is whole. It returns io.EOF at a clean end,
//     an error matching ErrTruncated (and io.ErrUnexpectedEOF) inside a frame, and a
//     bad frame's *ValidationError after the good frames before it; those three are
//     sticky. An io.Reader error is returned wrapped and is not: after a timeout, call
//     Next again. NextBuffered never reads: ErrIncomplete says a Read is needed.
//   - FrameWriter.Push queues a Frozen (the writer takes it; ErrQueueFull leaves it
//     with the caller) and Flush writes everything queued as one net.Buffers over the
//     frames' own bytes: one writev on a *net.TCPConn for up to 1024 frames. A short
//     or failed write keeps the rest for the next Flush.
//
// To batch replies on one goroutine, handle every frame NextBuffered gives, then
// Flush once before blocking in Next. Describe makes one log line of a frame (its
// command, size and fields, and ValidateFrame's verdict); CommandName, OperationName
// and Status.Name give the names alone.
//
// examples/mini_replica is a runnable primary and two backups over loopback TCP
// built on all of this: in the repository, after make lib, `go run -tags iggy_repo
// ./examples/mini_replica -requests 200 -messages 8 -frames-per-request 16`.
//
// # Errors
//
// Every error is a Status (one sentinel per status code: ErrOutOfRange,
// ErrCoalesceRefused, ErrFrameChecksumMismatch, ...) or, from validation, a
// *ValidationError that matches its Status: use errors.Is, and errors.As for the
// detail. FrameReader and FrameWriter also return io.EOF itself at a clean end, and
// wrap the errors of the io.Reader and io.Writer (errors.Is and errors.As see them).
//
// # Linking
//
// The package links against an installed library (make install PREFIX=...), found
// with `pkg-config iggy_consensus`: set PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig when
// building if pkg-config does not search that prefix. The .pc file's rpath lets the
// program run with no environment variable. In this repository, build with the tag
// iggy_repo to link the library built by `make lib` (../target/release) instead. At
// init the package panics if the library's ABI version (ABIVersion) is not the one
// of the header it was compiled with. Building needs cgo and a C compiler.
package iggyconsensus
