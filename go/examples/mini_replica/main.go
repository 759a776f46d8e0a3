// Command mini_replica is a primary and two backups replicating SendMessages requests
// over loopback TCP, with libiggy_consensus carrying every frame: the Go port of
// examples-c/mini_replica.c, and a sketch of a Go broker's message path.
//
//	client --Request--> primary --Prepare (one frame, shared by Clone)--> backup 1, 2
//	client <--Reply---- primary <--PrepareOk (sealed)-------------------- backup 1, 2
//	                    primary --Commit (sealed)---------------------------> backup 1, 2
//
// Every replica is a goroutine with its own listener on 127.0.0.1. The primary
// validates each Request as it arrives, turns it into a Prepare in place (split the
// header from the body, rewrite and seal the header in the prefix, coalesce into one
// Frozen frame) and hands that one frame to both backup links by Clone, never by copy:
// each link's writer goroutine writes its clone and closes it. Backups validate the
// Prepare, decode its batch and answer with a sealed PrepareOk. With its own vote and
// one backup's the primary has a quorum of the three replicas: it commits, replies to
// the client and tells the backups with a Commit.
//
// Frames are read as the wire spec frames TCP (§i): 256 bytes into a fresh
// 4096-aligned Buf, then size, then Reserve and the body read in place. Every handle
// is closed by whoever owns it last; a frame sent on a channel changes owner.
//
// Usage, in go/ after make lib (without the tag, against an installed library):
//
//	go run -tags iggy_repo ./examples/mini_replica -requests 200 -messages 8
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
	flag.Parse()
	if *requests < 1 || *messages < 1 || *messages > maxMessages || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: mini_replica [-requests N] [-messages M] (N >= 1, M >= 1, a request at most 64 MiB)")
		os.Exit(2)
	}
	if err := run(config{requests: *requests, messages: *messages}, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mini_replica:", err)
		os.Exit(1)
	}
}

// maxMessages is the most messages a Request holds within MaxMessageSize: after the
// Request header and the batch header, frames of a 48-byte header and the payload.
const maxMessages = (ic.MaxMessageSize - 2*ic.HeaderSize) / (48 + payloadLen)

type config struct {
	requests, messages int
	// corrupt, when not 0, is a request whose payload the client damages after
	// encoding, so that the backups reject it: for the tests of the failure path.
	corrupt int
}

// run starts the replicas, runs the client, checks what every replica saw and prints
// the throughput to out.
func run(cfg config, out io.Writer) error {
	var c cluster
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
	leader := &primary{ln: ln, backups: addrs}

	var wg sync.WaitGroup
	for _, b := range replicas {
		c.goRun(&wg, func() error { return b.run(&c) })
	}
	c.goRun(&wg, func() error { return leader.run(&c) })
	elapsed, clientErr := runClient(&c, ln.Addr().String(), cfg)
	if clientErr != nil {
		c.fail(clientErr)
	}
	wg.Wait()
	if err := c.firstErr(); err != nil {
		return err
	}

	messages := uint64(cfg.requests) * uint64(cfg.messages)
	fmt.Fprintf(out, "%d requests of %d messages (%d-byte payloads) replicated to %d backups\n",
		cfg.requests, cfg.messages, payloadLen, backups)
	for _, b := range replicas {
		fmt.Fprintf(out, "backup %d: decoded %d messages, commit %d\n", b.replica, b.messages, b.commit)
		if b.messages != messages || b.commit != uint64(cfg.requests) {
			return fmt.Errorf("backup %d missed messages or commits", b.replica)
		}
	}
	if leader.committed != uint64(cfg.requests) {
		return fmt.Errorf("primary: %d requests committed, want %d", leader.committed, cfg.requests)
	}
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

// readFrame reads one frame the way the wire spec frames TCP (§i): 256 bytes into a
// fresh 4096-aligned buffer, then size, then one Reserve and the body read in place.
// It returns io.EOF at a clean end of the stream. The caller owns the frame.
func readFrame(conn net.Conn) (*ic.Buf, error) {
	conn.SetReadDeadline(time.Now().Add(ioTimeout))
	buf, err := ic.WithCapacity(ic.HeaderSize)
	if err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(conn, buf.SpareCapacity()[:ic.HeaderSize]); err != nil {
		buf.Close()
		return nil, err // io.EOF when the stream ended cleanly, before the frame
	}
	if err := buf.SetLen(ic.HeaderSize); err != nil {
		buf.Close()
		return nil, err
	}
	size := int(must(ic.ViewHeader[ic.GenericHeader](buf.Bytes())).Size)
	if size < ic.HeaderSize || size > ic.MaxMessageSize {
		buf.Close()
		return nil, fmt.Errorf("frame size %d outside [%d, %d]", size, ic.HeaderSize, ic.MaxMessageSize)
	}
	if body := size - ic.HeaderSize; body > 0 {
		// Reserve may move the bytes: take SpareCapacity after it.
		if err := buf.Reserve(body); err != nil {
			buf.Close()
			return nil, err
		}
		if _, err := io.ReadFull(conn, buf.SpareCapacity()[:body]); err != nil {
			buf.Close()
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if err := buf.SetLen(size); err != nil {
			buf.Close()
			return nil, err
		}
	}
	return buf, nil
}

// headerFrame returns a new zeroed, header-only frame and its header view of type H,
// for the caller to fill, Seal and send.
func headerFrame[H ic.Header]() (*ic.Buf, *H, error) {
	buf, err := ic.NewZeroed(ic.HeaderSize)
	if err != nil {
		return nil, nil, err
	}
	h, err := ic.ViewHeader[H](buf.Bytes())
	if err != nil {
		buf.Close()
		return nil, nil, err
	}
	return buf, h, nil
}

// sendSealed seals buf's header (last, after every other write), writes the frame and
// closes buf.
func sendSealed(conn net.Conn, buf *ic.Buf) error {
	defer buf.Close()
	if err := ic.Seal(buf.Bytes()); err != nil {
		return err
	}
	_, err := conn.Write(buf.Bytes())
	return err
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
	messages uint64 // messages decoded from prepares
	commit   uint64 // the latest commit heard of
}

// run serves the primary's connection until it closes.
func (b *backup) run(c *cluster) error {
	conn, err := b.ln.Accept()
	if err != nil {
		return fmt.Errorf("backup %d: accept: %w", b.replica, err)
	}
	c.track(conn) // on failure, the cluster closes it
	b.ln.Close()
	for {
		frame, err := readFrame(conn)
		if err == io.EOF {
			return conn.Close() // the primary is done
		}
		if err != nil {
			return fmt.Errorf("backup %d: %w", b.replica, err)
		}
		err = b.handle(conn, frame.Bytes())
		frame.Close()
		if err != nil {
			return fmt.Errorf("backup %d: %w", b.replica, err)
		}
	}
}

// handle validates one frame from the primary and acts on it.
func (b *backup) handle(conn net.Conn, frame []byte) error {
	if err := ic.ValidateInbound(frame); err != nil {
		return fmt.Errorf("inbound frame rejected: %w", err)
	}
	switch command := must(ic.ViewHeader[ic.GenericHeader](frame)).Command; command {
	case ic.CommandCommit:
		b.commit = must(ic.ViewHeader[ic.CommitHeader](frame)).Commit
		return nil
	case ic.CommandPrepare:
		prepare := must(ic.ViewHeader[ic.PrepareHeader](frame))
		if err := b.append(prepare.Request, frame); err != nil {
			return err
		}
		return sendPrepareOk(conn, prepare, b.replica)
	default:
		return fmt.Errorf("unexpected %v", command)
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

func sendPrepareOk(conn net.Conn, prepare *ic.PrepareHeader, replica uint8) error {
	buf, ok, err := headerFrame[ic.PrepareOkHeader]()
	if err != nil {
		return err
	}
	ok.Size = ic.HeaderSize
	ok.Command = ic.CommandPrepareOk
	ok.View = prepare.View
	ok.Replica = replica
	ok.Parent = prepare.Parent
	ok.PrepareChecksum = prepare.Checksum
	ok.Op = prepare.Op
	ok.Commit = prepare.Commit
	ok.Timestamp = prepare.Timestamp
	ok.Request = prepare.Request
	ok.Operation = prepare.Operation
	ok.Group = prepare.Group
	return sendSealed(conn, buf)
}

// ---- primary ---------------------------------------------------------------------------

type primary struct {
	ln        net.Listener // the client connects here
	backups   []string     // the backups' addresses
	committed uint64       // requests committed and replied to
}

// link is the primary's connection to one backup: a writer goroutine sends the frames
// given to out and closes each (its own share); a reader goroutine passes every frame
// the backup sends to the primary's votes channel.
type link struct {
	conn net.Conn
	out  chan *ic.Frozen
}

// vote is a frame from a backup (owned by the receiver), or why its link failed.
type vote struct {
	backup int
	frame  *ic.Buf
	err    error
}

func (p *primary) run(c *cluster) error {
	votes := make(chan vote)
	done := make(chan struct{}) // closed when the primary stops listening to votes
	var linkers sync.WaitGroup
	links := make([]*link, len(p.backups))
	defer func() {
		// Let the writers drain (every queued frame is written, or closed unsent), then
		// close the connections, which ends the readers.
		for _, l := range links {
			if l != nil {
				close(l.out)
			}
		}
		close(done)
		linkers.Wait()
	}()
	for i, addr := range p.backups {
		conn, err := c.dial(addr)
		if err != nil {
			return fmt.Errorf("primary: %w", err)
		}
		l := &link{conn: conn, out: make(chan *ic.Frozen, 4)}
		links[i] = l
		linkers.Go(func() { l.write(c) })
		linkers.Go(func() { l.read(i, votes, done) })
	}

	client, err := p.ln.Accept()
	if err != nil {
		return fmt.Errorf("primary: accept: %w", err)
	}
	c.track(client)
	p.ln.Close()
	defer client.Close()

	var op, commit uint64
	var parent ic.U128 // the checksum of the latest prepare
	// One request in flight: the next is read once every backup has answered.
	for {
		request, err := readFrame(client)
		if err == io.EOF {
			return nil // the client is done
		}
		if err != nil {
			return fmt.Errorf("primary: reading a request: %w", err)
		}
		if err := checkRequest(request.Bytes()); err != nil {
			request.Close()
			return fmt.Errorf("primary: request rejected: %w", err)
		}
		op++
		prepare, err := toPrepare(request, op, commit, parent)
		if err != nil {
			return fmt.Errorf("primary: %w", err)
		}
		header := must(ic.ViewHeader[ic.PrepareHeader](prepare.Bytes()))
		parent = header.Checksum

		// Fan out: one Clone (one atomic add, no copy) per backup link.
		for _, l := range links {
			clone, err := prepare.Clone()
			if err != nil {
				prepare.Close()
				return err
			}
			l.out <- clone
		}

		// The primary's own vote and the first backup's make a quorum of three.
		for answered := 0; answered < len(links); answered++ {
			if err := p.awaitVote(votes, op, parent); err != nil {
				prepare.Close()
				return err
			}
			if answered > 0 {
				continue // a late vote: already committed
			}
			commit = op
			err := sendReply(client, header)
			if err == nil {
				err = sendCommit(links, commit)
			}
			prepare.Close() // the primary's share; the links close theirs once written
			if err != nil {
				return fmt.Errorf("primary: %w", err)
			}
			p.committed++
		}
	}
}

// checkRequest validates a frame from the client: a valid inbound Request carrying
// SendMessages.
func checkRequest(frame []byte) error {
	if err := ic.ValidateInbound(frame); err != nil {
		return err
	}
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

// awaitVote waits for one backup's PrepareOk for the prepare op and checks it.
func (p *primary) awaitVote(votes <-chan vote, op uint64, prepared ic.U128) error {
	var v vote
	select {
	case v = <-votes:
	case <-time.After(ioTimeout):
		return errors.New("primary: no PrepareOk in time")
	}
	if v.err != nil {
		return fmt.Errorf("primary: backup link %d: %w", v.backup+1, v.err)
	}
	defer v.frame.Close()
	frame := v.frame.Bytes()
	if err := ic.ValidateInbound(frame); err != nil {
		return fmt.Errorf("primary: PrepareOk rejected: %w", err)
	}
	ok := must(ic.ViewHeader[ic.PrepareOkHeader](frame))
	if ok.Command != ic.CommandPrepareOk || ok.Op != op || ok.PrepareChecksum != prepared {
		return fmt.Errorf("primary: a %v for another prepare (op %d)", ok.Command, ok.Op)
	}
	return nil
}

func sendReply(client net.Conn, prepare *ic.PrepareHeader) error {
	buf, reply, err := headerFrame[ic.ReplyHeader]()
	if err != nil {
		return err
	}
	reply.Size = ic.HeaderSize
	reply.Command = ic.CommandReply
	reply.View = prepare.View
	reply.RequestChecksum = prepare.RequestChecksum
	reply.Client = prepare.Client
	reply.Op = prepare.Op
	reply.Commit = prepare.Op
	reply.Timestamp = prepare.Timestamp
	reply.Request = prepare.Request
	reply.Operation = prepare.Operation
	return sendSealed(client, buf) // a Reply carries no checksum: Seal leaves it as is
}

// sendCommit builds one sealed Commit and hands a Clone of it to every link.
func sendCommit(links []*link, commit uint64) error {
	buf, header, err := headerFrame[ic.CommitHeader]()
	if err != nil {
		return err
	}
	header.Size = ic.HeaderSize
	header.Command = ic.CommandCommit
	header.View = 1
	header.Commit = commit
	header.Group = group
	if err := ic.Seal(buf.Bytes()); err != nil {
		buf.Close()
		return err
	}
	frame, err := buf.Freeze()
	if err != nil {
		buf.Close()
		return err
	}
	defer frame.Close()
	for _, l := range links {
		clone, err := frame.Clone()
		if err != nil {
			return err
		}
		l.out <- clone
	}
	return nil
}

// write sends every frame given to l.out, in order, and closes each; after a write
// error it keeps closing them unsent (and fails the cluster) until l.out is closed.
func (l *link) write(c *cluster) {
	var failed error
	for frame := range l.out {
		if failed == nil {
			l.conn.SetWriteDeadline(time.Now().Add(ioTimeout))
			if _, err := l.conn.Write(frame.Bytes()); err != nil {
				failed = err
				c.fail(fmt.Errorf("primary: writing to a backup: %w", err))
			}
		}
		frame.Close()
	}
	l.conn.Close() // every frame is written: ends the backup's stream, and l.read
}

// read passes every frame from the backup to votes, and then the error that ends
// the connection, until the primary stops listening (done).
func (l *link) read(backup int, votes chan<- vote, done <-chan struct{}) {
	for {
		frame, err := readFrame(l.conn)
		select {
		case votes <- vote{backup: backup, frame: frame, err: err}:
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

// runClient sends cfg.requests Requests one at a time and checks every Reply; it
// returns the time they took.
func runClient(c *cluster, addr string, cfg config) (time.Duration, error) {
	conn, err := c.dial(addr)
	if err != nil {
		return 0, fmt.Errorf("client: %w", err)
	}
	defer conn.Close() // ends the primary's loop

	payload := make([]byte, payloadLen)
	for i := range payload {
		payload[i] = byte('a' + i%26)
	}
	inputs := make([]ic.BatchInput, cfg.messages)
	start := time.Now()
	for n := uint64(1); n <= uint64(cfg.requests); n++ {
		for i := range inputs {
			inputs[i] = ic.BatchInput{ID: ic.U128{Lo: uint64(i), Hi: n}, OffsetDelta: uint32(i), Payload: payload}
		}
		request, err := buildRequest(n, inputs)
		if err != nil {
			return 0, fmt.Errorf("client: %w", err)
		}
		if int(n) == cfg.corrupt {
			request.Bytes()[request.Len()-1] ^= 1 // a payload bit: only the batch checksums see it
		}
		_, err = conn.Write(request.Bytes())
		request.Close()
		if err != nil {
			return 0, fmt.Errorf("client: send: %w", err)
		}
		if err := readReply(conn, n); err != nil {
			return 0, fmt.Errorf("client: request %d: %w", n, err)
		}
	}
	return time.Since(start), nil
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

// readReply reads the Reply to request n and checks it.
func readReply(conn net.Conn, n uint64) error {
	reply, err := readFrame(conn)
	if err != nil {
		return fmt.Errorf("no reply: %w", err)
	}
	defer reply.Close()
	frame := reply.Bytes()
	if err := ic.ValidateFrame(frame); err != nil {
		return fmt.Errorf("reply rejected: %w", err)
	}
	h := must(ic.ViewHeader[ic.ReplyHeader](frame))
	if h.Command != ic.CommandReply || h.Request != n || h.Op != n || h.Commit != n ||
		h.Client != (ic.U128{Lo: clientID}) || h.Status != 0 {
		return fmt.Errorf("unexpected reply: %v, request %d, op %d, commit %d, status %d", h.Command, h.Request, h.Op, h.Commit, h.Status)
	}
	return nil
}
