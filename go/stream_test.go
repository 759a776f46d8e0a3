package iggyconsensus

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"testing"
	"time"
)

// Helpers shared by the FrameReader and FrameWriter tests: frames, streams, and
// connections (net.Pipe, loopback TCP, TLS over either).

// pattern is the source of frame bodies: frame i's body is a slice of it starting at
// an offset that depends on i, so that a frame read back can be compared byte by byte.
var pattern = func() []byte {
	p := make([]byte, 2<<20)
	r := mrand.New(mrand.NewPCG(1, 2))
	for i := 0; i < len(p); i += 8 {
		binary.LittleEndian.PutUint64(p[i:], r.Uint64())
	}
	return p
}()

// requestFrame returns request number n (n >= 1) as a valid Request frame of size bytes
// (size >= HeaderSize) in Go memory; requests carry no seal.
func requestFrame(n uint64, size int) []byte {
	h := RequestHeader{Size: uint32(size), Command: CommandRequest, Client: U128{Lo: 0xc11e47},
		Session: 1, Request: n, Operation: OperationSendMessages}
	frame := make([]byte, size)
	copy(frame, HeaderBytes(&h))
	off := int(n*4099) % (len(pattern) - size)
	copy(frame[HeaderSize:], pattern[off:])
	return frame
}

// frozenCopy returns a Frozen holding a copy of b.
func frozenCopy(tb testing.TB, b []byte) *Frozen {
	tb.Helper()
	return must[*Frozen](tb)(must[*Buf](tb)(CopyFrom(b)).Freeze())
}

// commitStream returns n sealed Commits back to back, and each frame.
func commitStream(tb testing.TB, n int) ([]byte, [][]byte) {
	var stream []byte
	var frames [][]byte
	for i := range n {
		f := bytes.Clone(sealedCommit(tb, uint64(i+1)))
		frames = append(frames, f)
		stream = append(stream, f...)
	}
	return stream, frames
}

// mixedStream returns Requests of the given sizes back to back, and each frame.
func mixedStream(sizes ...int) ([]byte, [][]byte) {
	var stream []byte
	var frames [][]byte
	for i, size := range sizes {
		f := requestFrame(uint64(i+1), size)
		frames = append(frames, f)
		stream = append(stream, f...)
	}
	return stream, frames
}

// mixedSizes returns n frame sizes from HeaderSize to 1 MiB: mostly small, some
// large, HeaderSize and 1 MiB among them, so a round trip stays fast under -race.
func mixedSizes(n int, seed uint64) []int {
	r := mrand.New(mrand.NewPCG(seed, 7))
	sizes := make([]int, n)
	for i := range sizes {
		switch p := r.IntN(100); {
		case i == 0 || p < 5:
			sizes[i] = HeaderSize
		case i == 1 || p < 6:
			sizes[i] = 1 << 20
		case p < 90:
			sizes[i] = HeaderSize + r.IntN(4096)
		case p < 99:
			sizes[i] = 4096 + r.IntN(60<<10)
		default:
			sizes[i] = 64<<10 + r.IntN(1<<20-64<<10)
		}
	}
	return sizes
}

// readAll reads frames with r until an error, and returns their bytes and the error.
func readAll(tb testing.TB, r *FrameReader) ([][]byte, error) {
	tb.Helper()
	var frames [][]byte
	for {
		f, err := r.Next()
		if err != nil {
			if f != nil {
				tb.Fatalf("Next returned a frame and %v", err)
			}
			return frames, err
		}
		if !aligned(f.Bytes()) {
			tb.Fatal("a frame is not 4096-aligned")
		}
		frames = append(frames, bytes.Clone(f.Bytes()))
		f.Close()
	}
}

// sameFrames fails unless got equals want, frame by frame.
func sameFrames(tb testing.TB, got, want [][]byte) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%d frames, want %d", len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			tb.Fatalf("frame %d (%d bytes) differs from the one sent (%d bytes)", i, len(got[i]), len(want[i]))
		}
	}
}

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(tb testing.TB) (*net.TCPConn, *net.TCPConn) {
	tb.Helper()
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan *net.TCPConn, 1)
	go func() {
		c, err := ln.AcceptTCP()
		if err != nil {
			tb.Error(err)
		}
		accepted <- c
	}()
	dialed, err := net.DialTCP("tcp", nil, ln.Addr().(*net.TCPAddr))
	if err != nil {
		tb.Fatal(err)
	}
	server := <-accepted
	if server == nil {
		tb.FailNow()
	}
	tb.Cleanup(func() { dialed.Close(); server.Close() })
	return dialed, server
}

// tlsPair runs a TLS handshake over the two ends of a connection: a self-signed ECDSA
// certificate made here, verified by the client (no file, no InsecureSkipVerify).
func tlsPair(tb testing.TB, client, server net.Conn) (*tls.Conn, *tls.Conn) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "iggy.test"},
		DNSNames:              []string{"iggy.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	s := tls.Server(server, &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		MinVersion:   tls.VersionTLS13,
	})
	c := tls.Client(client, &tls.Config{RootCAs: roots, ServerName: "iggy.test", MinVersion: tls.VersionTLS13})
	done := make(chan error, 1)
	go func() { done <- s.Handshake() }()
	if err := c.Handshake(); err != nil {
		tb.Fatal(err)
	}
	if err := <-done; err != nil {
		tb.Fatal(err)
	}
	// Close the connections under TLS: tls.Conn.Close sends a close_notify, which on a
	// net.Pipe waits (up to 5 s) for a reader that is gone.
	tb.Cleanup(func() { client.Close(); server.Close() })
	return c, s
}
