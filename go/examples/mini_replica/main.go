// Command mini_replica is a primary and two backups replicating SendMessages requests
// over loopback TCP, with libiggy_consensus carrying every frame: the Go port of
// examples-c/mini_replica.c, and a sketch of a Go broker's message path.
//
//	client --Request--> primary --Prepare (one frame, shared by Clone)--> backup 1, 2
//	client <--Reply---- primary <--PrepareOk (sealed)-------------------- backup 1, 2
//	                    primary --Commit (sealed)---------------------------> backup 1, 2
//
// Every replica is a goroutine with its own listener on 127.0.0.1. Every connection
// has a FrameReader, which frames and validates what arrives (the inbound path on the
// replicas), and a FrameWriter, which queues frozen frames and writes each batch of
// them with one Flush: one writev. The primary turns each Request into a Prepare in
// place (split the header from the body, rewrite and seal the header in the prefix,
// coalesce into one Frozen frame) and pushes a Clone of that one frame into both
// backups' writers, never a copy. Backups decode the Prepare's batch and answer with a
// sealed PrepareOk. With its own vote and one backup's the primary has a quorum of the
// three replicas: it commits, replies to the client and tells the backups with a
// Commit (one Commit per batch of events, carrying the latest commit number).
//
// The client keeps up to -frames-per-request Requests in flight (pipelining: it sends
// while a goroutine of its own reads the Replies), so that many are in flight on every
// connection; the replicas then handle every frame one Read brought before they Flush
// their answers, and a Flush carries many frames. With 1 (the default) the demo runs
// one request at a time.
//
// A frame rejected after it was read whole (a batch that does not decode, an answer
// to another prepare) is logged with Describe; one the FrameReader rejects is logged
// with its *ValidationError. Every handle is closed by whoever owns it last; a frame
// pushed into a writer belongs to the writer.
//
// Usage, in go/ after make lib (without the tag, against an installed library):
//
//	go run -tags iggy_repo ./examples/mini_replica -requests 200 -messages 8 -frames-per-request 16
//
// It exits 0 when every reply checked out, and 1 with a message on any failure.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	ic "github.com/iggy-consensus/libiggy_consensus/go"
)

const (
	backups    = 2
	clientID   = 0xc11e47
	group      = 1   // a partition group: stream 0, topic 0, partition 1
	payloadLen = 100 // bytes per message
	ioTimeout  = 10 * time.Second
)

func main() {
	requests := flag.Int("requests", 1000, "requests to replicate")
	messages := flag.Int("messages", 16, "messages per request")
	pipeline := flag.Int("frames-per-request", 1, "Request frames the client keeps in flight (pipelining; 1: one at a time)")
	flag.Parse()
	if *requests < 1 || *messages < 1 || *messages > maxMessages || *pipeline < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: mini_replica [-requests N] [-messages M] [-frames-per-request P] (N, M, P >= 1, a request at most 64 MiB)")
		os.Exit(2)
	}
	cfg := config{requests: *requests, messages: *messages, pipeline: *pipeline, log: os.Stderr}
	if err := run(cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mini_replica:", err)
		os.Exit(1)
	}
}

// maxMessages is the most messages a Request holds within MaxMessageSize: after the
// Request header and the batch header, frames of a 48-byte header and the payload.
const maxMessages = (ic.MaxMessageSize - 2*ic.HeaderSize) / (48 + payloadLen)

type config struct {
	requests, messages int
	// pipeline is how many Requests the client keeps in flight (at least 1).
	pipeline int
	// corrupt, when not 0, is a request whose payload the client damages after
	// encoding, so that the backups reject it: for the tests of the failure path.
	corrupt int
	// log receives the rejected frames, described; nil discards them.
	log io.Writer
}

// run starts the replicas, runs the client, checks what every replica saw and prints
// the throughput to out.
func run(cfg config, out io.Writer) error {
	cfg.pipeline = max(cfg.pipeline, 1)
	if cfg.log == nil {
		cfg.log = io.Discard
	}
	c := cluster{log: cfg.log}
	defer c.closeAll()

	replicas := make([]*backup, backups)
	addrs := make([]string, backups)
	for i := range replicas {
		ln, err := c.listen()
		if err != nil {
			return err
		}
		replicas[i] = &backup{replica: uint8(i + 1), ln: ln}
		addrs[i] = ln.Addr().String()
	}
	ln, err := c.listen()
	if err != nil {
		return err
	}
	leader := &primary{ln: ln, backups: addrs, window: 2 * cfg.pipeline}

	var wg sync.WaitGroup
	for _, b := range replicas {
		c.goRun(&wg, func() error { return b.run(&c) })
	}
	c.goRun(&wg, func() error { return leader.run(&c) })
	elapsed, sent, clientErr := runClient(&c, ln.Addr().String(), cfg)
	if clientErr != nil {
		c.fail(clientErr)
	}
	wg.Wait()
	if err := c.firstErr(); err != nil {
		return err
	}

	messages := uint64(cfg.requests) * uint64(cfg.messages)
	fmt.Fprintf(out, "%d requests of %d messages (%d-byte payloads), up to %d in flight, replicated to %d backups\n",
		cfg.requests, cfg.messages, payloadLen, cfg.pipeline, backups)
	for _, b := range replicas {
		fmt.Fprintf(out, "backup %d: decoded %d messages, commit %d, %d frames in %d flushes\n",
			b.replica, b.messages, b.commit, b.sent.frames, b.sent.flushes)
		if b.messages != messages || b.commit != uint64(cfg.requests) {
			return fmt.Errorf("backup %d missed messages or commits", b.replica)
		}
	}
	if leader.committed != uint64(cfg.requests) {
		return fmt.Errorf("primary: %d requests committed, want %d", leader.committed, cfg.requests)
	}
	fmt.Fprintf(out, "client: %d requests in %d flushes\n", sent.frames, sent.flushes)
	fmt.Fprintf(out, "primary: %d frames to the backups in %d flushes, %d replies in %d flushes\n",
		leader.toBackups.frames, leader.toBackups.flushes, leader.toClient.frames, leader.toClient.flushes)
	s := elapsed.Seconds()
	fmt.Fprintf(out, "every reply checked: %.3f s, %.0f requests/s, %.0f messages/s\n",
		s, float64(cfg.requests)/s, float64(messages)/s)
	return nil
}

// ---- plumbing ------------------------------------------------------------------------

// cluster holds every listener and connection of the demo. The first failure is
// recorded and closes all of them, so that every goroutine's blocked read or write
// returns and the demo ends instead of hanging.
type cluster struct {
	logMu   sync.Mutex
	log     io.Writer
	mu      sync.Mutex
	closers []io.Closer
	err     error
}

// track registers x, to be closed on failure and at the end; x is closed at once if
// the cluster has already failed.
func (c *cluster) track(x io.Closer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		x.Close()
		return
	}
	c.closers = append(c.closers, x)
}

func (c *cluster) listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // an ephemeral port
	if err == nil {
		c.track(ln)
	}
	return ln, err
}

func (c *cluster) dial(addr string) (net.Conn, error) {
	conn, err := net.DialTimeout("tcp", addr, ioTimeout) // TCP_NODELAY is Go's default
	if err == nil {
		c.track(conn)
	}
	return conn, err
}

func (c *cluster) accept(ln net.Listener) (net.Conn, error) {
	conn, err := ln.Accept()
	if err == nil {
		c.track(conn) // on failure, the cluster closes it
		ln.Close()
	}
	return conn, err
}

// fail records err if it is the first failure and closes everything.
func (c *cluster) fail(err error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.mu.Unlock()
	c.closeAll()
}

func (c *cluster) closeAll() {
	c.mu.Lock()
	closers := c.closers
	c.closers = nil
	c.mu.Unlock()
	for _, x := range closers {
		x.Close()
	}
}

func (c *cluster) firstErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// goRun runs f on a new goroutine; its error fails the cluster.
func (c *cluster) goRun(wg *sync.WaitGroup, f func() error) {
	wg.Go(func() {
		if err := f(); err != nil {
			c.fail(err)
		}
	})
}

// logf writes one line to the log; safe from any goroutine.
func (c *cluster) logf(format string, args ...any) {
	c.logMu.Lock()
	defer c.logMu.Unlock()
	fmt.Fprintf(c.log, format+"\n", args...)
}

// rejected logs a frame the demo refuses and why, the frame described by the library
// (whose verdict is ValidateFrame's), and returns err.
func (c *cluster) rejected(who string, frame []byte, err error) error {
	c.logf("%s: rejected (%v): %s", who, err, ic.Describe(frame))
	return err
}

// peer is one end of a connection: a FrameReader and a FrameWriter on it.
type peer struct {
	conn net.Conn
	r    *ic.FrameReader
	w    *ic.FrameWriter
	sent flushes
}

// flushes counts what a writer sent: frames, and the Flush calls that wrote them.
type flushes struct{ frames, flushes int }

func newPeer(conn net.Conn, validate ic.ReaderValidation) (*peer, error) {
	r, err := ic.NewFrameReader(conn, ic.ReaderConfig{Validate: validate})
	if err != nil {
		return nil, err
	}
	w, err := ic.NewFrameWriter(conn, ic.WriterConfig{})
	if err != nil {
		r.Close()
		return nil, err
	}
	return &peer{conn: conn, r: r, w: w}, nil
}

// close frees the reader and the writer (frames not yet sent included), not the
// connection: the cluster closes that.
func (p *peer) close() {
	p.r.Close()
	p.w.Close()
}

// push queues frame (the writer takes it, even on error), flushing first when the
// queue is full.
func (p *peer) push(frame *ic.Frozen) error {
	defer frame.Close() // a no-op once pushed
	err := p.w.Push(frame)
	if errors.Is(err, ic.ErrQueueFull) {
		if err = p.flush(); err == nil {
			err = p.w.Push(frame)
		}
	}
	return err
}

// flush writes every queued frame: one writev for up to 1024 of them.
func (p *peer) flush() error {
	frames, _ := p.w.Pending()
	if frames == 0 {
		return nil
	}
	p.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
	if err := p.w.Flush(); err != nil {
		return err
	}
	p.sent.frames += frames
	p.sent.flushes++
	return nil
}

// next returns the next frame; before it would block on the connection it flushes
// what this side has queued (its answers to the frames already handled).
func (p *peer) next() (*ic.Buf, error) {
	frame, err := p.r.NextBuffered()
	if !errors.Is(err, ic.ErrIncomplete) {
		return frame, err
	}
	if err := p.flush(); err != nil {
		return nil, err
	}
	p.conn.SetReadDeadline(time.Now().Add(ioTimeout))
	return p.r.Next()
}

// sealed seals buf's header (last, after every other write) and freezes it; buf is
// consumed, even on error.
func sealed(buf *ic.Buf) (*ic.Frozen, error) {
	defer buf.Close() // a no-op once frozen
	if err := ic.Seal(buf.Bytes()); err != nil {
		return nil, err
	}
	return buf.Freeze()
}

// headerFrame returns a new header-only frame holding header, sealed and frozen.
func headerFrame[H ic.Header](header H) (*ic.Frozen, error) {
	buf, err := ic.NewZeroed(ic.HeaderSize)
	if err != nil {
		return nil, err
	}
	h, err := ic.ViewHeader[H](buf.Bytes())
	if err != nil {
		buf.Close()
		return nil, err
	}
	*h = header
	return sealed(buf)
}

// sendHeader queues the header-only frame holding header, sealed, on p.
func sendHeader[H ic.Header](p *peer, header H) error {
	frame, err := headerFrame(header)
	if err != nil {
		return err
	}
	return p.push(frame)
}

// must returns v, or panics on an error that cannot happen (a header view of an
// aligned buffer of at least 256 bytes).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// ---- backup ----------------------------------------------------------------------------

type backup struct {
	replica  uint8
	ln       net.Listener
	messages uint64  // messages decoded from prepares
	commit   uint64  // the latest commit heard of
	sent     flushes // PrepareOks
}

// run serves the primary's connection until it ends.
func (b *backup) run(c *cluster) error {
	conn, err := c.accept(b.ln)
	if err != nil {
		return fmt.Errorf("backup %d: accept: %w", b.replica, err)
	}
	p, err := newPeer(conn, ic.ReaderValidateInbound) // Prepares and Commits: inbound
	if err != nil {
		return err
	}
	defer func() { b.sent = p.sent; p.close() }()
	who := fmt.Sprintf("backup %d", b.replica)
	for {
		frame, err := p.next()
		if err == io.EOF {
			return conn.Close() // the primary is done, and has every answer
		}
		var ve *ic.ValidationError
		if errors.As(err, &ve) {
			c.logf("%s: the reader rejected a frame: %v", who, err)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", who, err)
		}
		err = b.handle(c, p, frame.Bytes())
		frame.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", who, err)
		}
	}
}

// handle acts on one valid inbound frame from the primary.
func (b *backup) handle(c *cluster, p *peer, frame []byte) error {
	who := fmt.Sprintf("backup %d", b.replica)
	switch command := must(ic.ViewHeader[ic.GenericHeader](frame)).Command; command {
	case ic.CommandCommit:
		b.commit = must(ic.ViewHeader[ic.CommitHeader](frame)).Commit
		return nil
	case ic.CommandPrepare:
		prepare := must(ic.ViewHeader[ic.PrepareHeader](frame))
		if err := b.append(prepare.Request, frame); err != nil {
			return c.rejected(who, frame, err)
		}
		return sendPrepareOk(p, prepare, b.replica)
	default:
		return c.rejected(who, frame, fmt.Errorf("unexpected %v", command))
	}
}

// append decodes the Prepare's batch (every checksum verified by the library) and
// checks its messages; a real replica would write them to its journal here.
func (b *backup) append(request uint64, frame []byte) error {
	batch, err := ic.DecodeBatch(frame)
	if err != nil {
		return fmt.Errorf("prepare %d: %w", request, err)
	}
	seen := uint64(0)
	for m := range batch.Messages() { // zero-copy: m.Payload is in the frame
		if len(m.Payload) != payloadLen || m.ID != (ic.U128{Lo: seen, Hi: request}) || m.Offset != batch.BaseOffset+seen {
			return fmt.Errorf("prepare %d: unexpected message %d: id %v, offset %d, %d bytes", request, seen, m.ID, m.Offset, len(m.Payload))
		}
		seen++
	}
	if seen != uint64(batch.MessageCount) {
		return fmt.Errorf("prepare %d: %d messages, the batch says %d", request, seen, batch.MessageCount)
	}
	b.messages += seen
	return nil
}

// sendPrepareOk queues the sealed PrepareOk for prepare; it is flushed with the others
// before the backup next waits for the primary.
func sendPrepareOk(p *peer, prepare *ic.PrepareHeader, replica uint8) error {
	return sendHeader(p, ic.PrepareOkHeader{
		Size:            ic.HeaderSize,
		Command:         ic.CommandPrepareOk,
		View:            prepare.View,
		Replica:         replica,
		Parent:          prepare.Parent,
		PrepareChecksum: prepare.Checksum,
		Op:              prepare.Op,
		Commit:          prepare.Commit,
		Timestamp:       prepare.Timestamp,
		Request:         prepare.Request,
		Operation:       prepare.Operation,
		Group:           prepare.Group,
	})
}

// ---- primary ---------------------------------------------------------------------------

type primary struct {
	ln        net.Listener // the client connects here
	backups   []string     // the backups' addresses
	window    int          // the most prepares awaiting a backup's answer
	committed uint64       // requests committed and replied to
	toBackups flushes      // Prepares and Commits, both links together
	toClient  flushes      // Replies
}

// event is what a reading goroutine hands the primary's loop: a frame (owned by the
// receiver) from the client or a backup, or the error that ended that connection
// (io.EOF: the client is done).
type event struct {
	from  int // fromClient, or the backup's index
	frame *ic.Buf
	err   error
}

const fromClient = -1

// inFlight is a prepare not yet answered by every backup.
type inFlight struct {
	header ic.PrepareHeader // a copy, for the Reply and to check the PrepareOks
	votes  int
}

// run is the primary's loop. Reading goroutines (one for the client, one per backup)
// hand it frames; it handles every event that is ready, then flushes each writer
// once: one writev per connection per batch of events. It reads a new Request only
// while fewer than window prepares await answers, which bounds the votes in flight,
// so the votes channel never fills, the backups' answers are always read, and no
// Flush waits on a peer that waits on the primary.
func (p *primary) run(c *cluster) error {
	requests := make(chan event, p.window)
	votes := make(chan event, backups*p.window+backups)
	done := make(chan struct{}) // closed when the loop stops listening
	var readers sync.WaitGroup
	links := make([]*peer, 0, len(p.backups))
	var client *peer
	defer func() {
		// Every frame is written: closing the connections ends the backups' streams
		// and every reading goroutine; then nobody else uses the readers.
		close(done)
		for _, l := range append(links, client) {
			if l != nil {
				l.conn.Close()
			}
		}
		readers.Wait()
		for _, events := range []chan event{requests, votes} { // after a failure
			for len(events) > 0 {
				if ev := <-events; ev.frame != nil {
					ev.frame.Close()
				}
			}
		}
		for _, l := range links {
			p.toBackups.frames += l.sent.frames
			p.toBackups.flushes += l.sent.flushes
			l.close()
		}
		if client != nil {
			p.toClient = client.sent
			client.close()
		}
	}()
	for i, addr := range p.backups {
		conn, err := c.dial(addr)
		if err != nil {
			return fmt.Errorf("primary: %w", err)
		}
		l, err := newPeer(conn, ic.ReaderValidateInbound) // PrepareOks: inbound
		if err != nil {
			return err
		}
		links = append(links, l)
		readers.Go(func() { forward(l.r, i, votes, done) })
	}
	conn, err := c.accept(p.ln)
	if err != nil {
		return fmt.Errorf("primary: accept: %w", err)
	}
	if client, err = newPeer(conn, ic.ReaderValidateInbound); err != nil { // Requests: inbound
		return err
	}
	readers.Go(func() { forward(client.r, fromClient, requests, done) })

	s := primaryState{c: c, links: links, client: client, nextVote: make([]uint64, len(links))}
	for !s.clientDone || len(s.pending) > 0 {
		// Wait for one event, then take every other one that is ready.
		var ev event
		select {
		case ev = <-votes:
		case ev = <-s.requestsIfRoom(requests, p.window):
		case <-time.After(ioTimeout):
			return errors.New("primary: nothing from the client or the backups in time")
		}
		if err := s.handle(ev); err != nil {
			return err
		}
		for more := true; more; {
			select {
			case ev := <-votes:
				err = s.handle(ev)
			case ev := <-s.requestsIfRoom(requests, p.window):
				err = s.handle(ev)
			default:
				more = false
			}
			if err != nil {
				return err
			}
		}
		if err := s.flushAll(); err != nil {
			return fmt.Errorf("primary: %w", err)
		}
	}
	p.committed = s.commit
	return nil
}

// primaryState is what the primary's loop keeps between events.
type primaryState struct {
	c          *cluster
	links      []*peer
	client     *peer
	op, commit uint64
	sentCommit uint64     // the commit number last sent to the backups
	parent     ic.U128    // the checksum of the latest prepare
	pending    []inFlight // op - len(pending) + 1 ... op, oldest first
	nextVote   []uint64   // per backup, the op of its next PrepareOk
	clientDone bool
}

// requestsIfRoom is requests while fewer than window prepares await answers, and nil
// (a channel never ready) otherwise.
func (s *primaryState) requestsIfRoom(requests chan event, window int) chan event {
	if s.clientDone || len(s.pending) >= window {
		return nil
	}
	return requests
}

// handle acts on one event.
func (s *primaryState) handle(ev event) error {
	who := "client"
	if ev.from != fromClient {
		who = fmt.Sprintf("backup %d", ev.from+1)
	}
	var ve *ic.ValidationError
	switch {
	case ev.from == fromClient && ev.err == io.EOF:
		s.clientDone = true // every request is in; finish the pending ones
		return nil
	case errors.As(ev.err, &ve):
		s.c.logf("primary: the reader rejected a frame from the %s: %v", who, ev.err)
		return fmt.Errorf("primary: from the %s: %w", who, ev.err)
	case ev.err != nil:
		return fmt.Errorf("primary: reading from the %s: %w", who, ev.err)
	case ev.from == fromClient:
		return s.request(ev.frame)
	}
	defer ev.frame.Close()
	return s.vote(ev.from, ev.frame.Bytes())
}

// request turns one Request into a Prepare and pushes it to both backups.
func (s *primaryState) request(request *ic.Buf) error {
	if err := checkRequest(request.Bytes()); err != nil {
		err = s.c.rejected("primary", request.Bytes(), err)
		request.Close()
		return fmt.Errorf("primary: request rejected: %w", err)
	}
	s.op++
	prepare, err := toPrepare(request, s.op, s.commit, s.parent)
	if err != nil {
		return fmt.Errorf("primary: %w", err)
	}
	defer prepare.Close() // the primary's share; each writer holds its own
	header := *must(ic.ViewHeader[ic.PrepareHeader](prepare.Bytes()))
	s.parent = header.Checksum
	s.pending = append(s.pending, inFlight{header: header})
	if err := fanOut(s.links, prepare); err != nil {
		return fmt.Errorf("primary: %w", err)
	}
	return nil
}

// checkRequest checks a Request the reader has validated on the inbound path: it must
// carry SendMessages.
func checkRequest(frame []byte) error {
	req := must(ic.ViewHeader[ic.RequestHeader](frame))
	if req.Command != ic.CommandRequest || req.Operation != ic.OperationSendMessages {
		return fmt.Errorf("a %v of %v, want a Request of SendMessages", req.Command, req.Operation)
	}
	return nil
}

// toPrepare turns the Request in request into a Prepare in place and returns the one
// Frozen frame: split the header from the body (no copy), rewrite the header in the
// prefix through the header views and seal it, then coalesce (no copy, no allocation).
// request is consumed, even on error.
func toPrepare(request *ic.Buf, op, commit uint64, parent ic.U128) (*ic.Frozen, error) {
	head, body, err := request.SplitAt(ic.HeaderSize)
	if err != nil {
		request.Close()
		return nil, err
	}
	defer head.Close() // no-ops once Coalesce has consumed them
	defer body.Close()

	bytes := head.Bytes()
	req := *must(ic.ViewHeader[ic.RequestHeader](bytes)) // a copy: the bytes are rewritten
	clear(bytes)
	prepare := must(ic.ViewHeader[ic.PrepareHeader](bytes))
	prepare.Size = req.Size
	prepare.Release = req.Release
	prepare.Command = ic.CommandPrepare
	prepare.View = 1
	prepare.Client = req.Client
	prepare.Parent = parent
	prepare.RequestChecksum = req.RequestChecksum
	prepare.Op = op
	prepare.Commit = commit
	prepare.Timestamp = op // the primary's monotonic clock; the op will do here
	prepare.Request = req.Request
	prepare.Operation = req.Operation
	prepare.Group = group
	prepare.UserID = req.UserID
	if err := ic.Seal(bytes); err != nil { // seal last
		return nil, err
	}
	return head.Coalesce(body)
}

// vote checks one PrepareOk from a backup. Each backup answers in op order, so the
// first answer to an op finds every earlier op committed: with the primary's own vote
// it makes a quorum of three, and the primary commits and replies.
func (s *primaryState) vote(backup int, frame []byte) error {
	ok := must(ic.ViewHeader[ic.PrepareOkHeader](frame))
	first := s.op - uint64(len(s.pending)) + 1 // the oldest op in flight
	want := s.nextVote[backup] + 1
	if ok.Command != ic.CommandPrepareOk || ok.Op != want || want < first || want > s.op {
		return s.c.rejected("primary", frame, fmt.Errorf("primary: backup %d: a %v for op %d, want op %d", backup+1, ok.Command, ok.Op, want))
	}
	entry := &s.pending[want-first]
	if ok.PrepareChecksum != entry.header.Checksum {
		return s.c.rejected("primary", frame, fmt.Errorf("primary: backup %d: a PrepareOk for another prepare of op %d", backup+1, ok.Op))
	}
	s.nextVote[backup] = want
	if entry.votes++; entry.votes == 1 {
		if want != s.commit+1 {
			return fmt.Errorf("primary: op %d reached a quorum before op %d", want, s.commit+1)
		}
		s.commit = want
		if err := sendReply(s.client, &entry.header); err != nil {
			return fmt.Errorf("primary: %w", err)
		}
	}
	for len(s.pending) > 0 && s.pending[0].votes == len(s.links) {
		s.pending = s.pending[1:]
	}
	return nil
}

// flushAll tells the backups the latest commit (one Commit for every op committed
// since the last one), then flushes every writer: one writev per connection.
func (s *primaryState) flushAll() error {
	if s.commit > s.sentCommit {
		if err := sendCommit(s.links, s.commit); err != nil {
			return err
		}
		s.sentCommit = s.commit
	}
	for _, l := range s.links {
		if err := l.flush(); err != nil {
			return err
		}
	}
	return s.client.flush()
}

func sendReply(client *peer, prepare *ic.PrepareHeader) error {
	// A Reply carries no checksum: Seal leaves it as is.
	return sendHeader(client, ic.ReplyHeader{
		Size:            ic.HeaderSize,
		Command:         ic.CommandReply,
		View:            prepare.View,
		RequestChecksum: prepare.RequestChecksum,
		Client:          prepare.Client,
		Op:              prepare.Op,
		Commit:          prepare.Op,
		Timestamp:       prepare.Timestamp,
		Request:         prepare.Request,
		Operation:       prepare.Operation,
	})
}

// sendCommit builds one sealed Commit and pushes a Clone of it to every link.
func sendCommit(links []*peer, commit uint64) error {
	frame, err := headerFrame(ic.CommitHeader{
		Size:    ic.HeaderSize,
		Command: ic.CommandCommit,
		View:    1,
		Commit:  commit,
		Group:   group,
	})
	if err != nil {
		return err
	}
	defer frame.Close()
	return fanOut(links, frame)
}

// fanOut queues frame on every link: one Clone (one atomic add, no copy) per writer.
// The caller keeps its own share of frame.
func fanOut(links []*peer, frame *ic.Frozen) error {
	for _, l := range links {
		clone, err := frame.Clone()
		if err != nil {
			return err
		}
		if err := l.push(clone); err != nil {
			return err
		}
	}
	return nil
}

// forward hands every frame r reads to events, then the error that ends the
// connection, until the primary's loop stops listening (done).
func forward(r *ic.FrameReader, from int, events chan<- event, done <-chan struct{}) {
	for {
		frame, err := r.Next()
		select {
		case events <- event{from: from, frame: frame, err: err}:
			if err != nil {
				return
			}
		case <-done:
			if frame != nil {
				frame.Close()
			}
			return
		}
	}
}

// ---- client ----------------------------------------------------------------------------

// runClient sends cfg.requests Requests, with up to cfg.pipeline of them in flight
// (sent, not yet answered), and checks every Reply on a goroutine of its own; it
// returns the time they took and what its writer sent.
func runClient(c *cluster, addr string, cfg config) (time.Duration, flushes, error) {
	conn, err := c.dial(addr)
	if err != nil {
		return 0, flushes{}, fmt.Errorf("client: %w", err)
	}
	defer conn.Close() // ends the primary's loop

	// Replies are client-bound: the frame path, not the inbound one.
	p, err := newPeer(conn, ic.ReaderValidateFrame)
	if err != nil {
		return 0, flushes{}, err
	}
	defer p.close()

	inFlight := make(chan struct{}, cfg.pipeline) // one token per request in flight
	stopped := make(chan struct{})                // closed when the replies end
	replies := make(chan error, 1)
	start := time.Now()
	go func() {
		defer close(stopped)
		replies <- readReplies(conn, p.r, cfg.requests, inFlight)
	}()
	sendErr := sendRequests(p, cfg, inFlight, stopped)
	if sendErr != nil {
		conn.Close() // ends the replies
	}
	readErr := <-replies
	elapsed := time.Since(start)
	if sendErr != nil {
		return 0, p.sent, fmt.Errorf("client: %w", sendErr)
	}
	if readErr != nil {
		return 0, p.sent, fmt.Errorf("client: %w", readErr)
	}
	return elapsed, p.sent, nil
}

// sendRequests sends the requests, taking a token of inFlight for each: when none is
// free, it flushes what it has queued (one writev) and waits for a reply to free one.
func sendRequests(p *peer, cfg config, inFlight chan<- struct{}, stopped <-chan struct{}) error {
	payload := make([]byte, payloadLen)
	for i := range payload {
		payload[i] = byte('a' + i%26)
	}
	inputs := make([]ic.BatchInput, cfg.messages)
	for n := uint64(1); n <= uint64(cfg.requests); n++ {
		select {
		case inFlight <- struct{}{}:
		default:
			if err := p.flush(); err != nil {
				return fmt.Errorf("send: %w", err)
			}
			select {
			case inFlight <- struct{}{}:
			case <-stopped:
				return nil // the replies failed: their error says why
			}
		}
		for i := range inputs {
			inputs[i] = ic.BatchInput{ID: ic.U128{Lo: uint64(i), Hi: n}, OffsetDelta: uint32(i), Payload: payload}
		}
		request, err := buildRequest(n, inputs)
		if err != nil {
			return err
		}
		if int(n) == cfg.corrupt {
			request.Bytes()[request.Len()-1] ^= 1 // a payload bit: only the batch checksums see it
		}
		frame, err := request.Freeze()
		if err != nil {
			request.Close()
			return err
		}
		if err := p.push(frame); err != nil {
			return fmt.Errorf("send: %w", err)
		}
	}
	if err := p.flush(); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}

// readReplies reads and checks the Replies to requests 1 to n in order, freeing a
// token of inFlight for each.
func readReplies(conn net.Conn, r *ic.FrameReader, n int, inFlight <-chan struct{}) error {
	for request := uint64(1); request <= uint64(n); request++ {
		conn.SetReadDeadline(time.Now().Add(ioTimeout))
		if err := readReply(r, request); err != nil {
			return fmt.Errorf("request %d: %w", request, err)
		}
		<-inFlight
	}
	return nil
}

// buildRequest returns a Request whose body is a SendMessages batch of inputs: the
// batch is encoded after a zeroed header, which is then filled in place.
func buildRequest(number uint64, inputs []ic.BatchInput) (*ic.Buf, error) {
	buf, err := ic.NewZeroed(ic.HeaderSize)
	if err != nil {
		return nil, err
	}
	if err := ic.EncodeBatch(buf, 0, 0, 0, number, inputs); err != nil {
		buf.Close()
		return nil, err
	}
	request := must(ic.ViewHeader[ic.RequestHeader](buf.Bytes())) // after EncodeBatch, which may move the bytes
	request.Size = uint32(buf.Len())
	request.Command = ic.CommandRequest
	request.Client = ic.U128{Lo: clientID}
	request.Session = 1
	request.Request = number
	request.Operation = ic.OperationSendMessages
	return buf, nil
}

// readReply reads the Reply to request n (validated by the reader) and checks it.
func readReply(r *ic.FrameReader, n uint64) error {
	reply, err := r.Next()
	if err != nil {
		return fmt.Errorf("no reply: %w", err)
	}
	defer reply.Close()
	h := must(ic.ViewHeader[ic.ReplyHeader](reply.Bytes()))
	if h.Command != ic.CommandReply || h.Request != n || h.Op != n || h.Commit != n ||
		h.Client != (ic.U128{Lo: clientID}) || h.Status != 0 {
		return fmt.Errorf("unexpected reply: %s", ic.Describe(reply.Bytes()))
	}
	return nil
}
