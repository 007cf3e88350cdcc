package sse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"
)

// Request is one streaming request, as the script asked for it.
type Request struct {
	Method  string
	URL     string
	Header  http.Header
	Body    []byte
	Timeout time.Duration // for the whole stream, from sending the request to its last event
}

// Sink receives what a stream produces, in order, on the goroutine that reads it.
type Sink interface {
	Opened(status int, header http.Header, at time.Time)
	Received(ev Event)
	// Ended is called exactly once. err is nil when the server ended the stream, an *Error when
	// the stream failed, and otherwise the cause ctx was cancelled with (ErrClosed from a script).
	Ended(err error, at time.Time)
}

// Error names why a stream failed. Kind is one of the Kind* constants.
type Error struct {
	Kind   string
	Status int // the HTTP status, when a response arrived
	msg    string
}

func (e *Error) Error() string { return e.msg }

// The kinds of failure a script can tell apart.
const (
	KindConnect   = "connect"   // no response: refused, unreachable, TLS, DNS
	KindStatus    = "status"    // the response status is not 2xx
	KindTimeout   = "timeout"   // the stream was still open when the timeout ran out
	KindMalformed = "malformed" // not an event stream, or one that breaks the format
	KindNetwork   = "network"   // the connection broke in the middle of the stream
)

// ErrClosed is the cancel cause a caller gives when it closes a stream on purpose.
var ErrClosed = errors.New("closed by the script")

var errTimedOut = errors.New("timed out")

// Read sends req and feeds sink until the stream ends, fails, times out or ctx is cancelled.
func Read(ctx context.Context, client *http.Client, req Request, sink Sink) {
	ctx, cancel := context.WithTimeoutCause(ctx, req.Timeout, errTimedOut)
	defer cancel()
	count := 0
	err := read(ctx, client, req, sink, &count)
	at := time.Now()
	switch {
	case err == nil:
	case context.Cause(ctx) == errTimedOut:
		err = failure(KindTimeout, 0, "%s %s: the stream was still open after %s (%d events received)",
			req.Method, req.URL, req.Timeout, count)
	case ctx.Err() != nil:
		err = context.Cause(ctx) // ErrClosed, or the end of the iteration
	}
	sink.Ended(err, at)
}

func read(ctx context.Context, client *http.Client, req Request, sink Sink, count *int) error {
	httpReq, err := http.NewRequestWithContext(ctx, req.Method, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return failure(KindConnect, 0, "%s %s: %v", req.Method, req.URL, err)
	}
	httpReq.Header = req.Header
	res, err := client.Do(httpReq)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return failure(KindConnect, 0, "%s %s: cannot connect: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		head, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return failure(KindStatus, res.StatusCode, "%s %s answered %s: %q", req.Method, req.URL, res.Status, head)
	}
	if media, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); media != "text/event-stream" {
		return failure(KindMalformed, res.StatusCode, "%s %s answered Content-Type %q, not text/event-stream",
			req.Method, req.URL, res.Header.Get("Content-Type"))
	}
	sink.Opened(res.StatusCode, res.Header, time.Now())

	events := newParser(res.Body)
	for {
		ev, err := events.next()
		switch {
		case err == nil:
			*count++
			sink.Received(ev)
		case err == io.EOF:
			return nil
		case ctx.Err() != nil:
			return err // Read names the cause
		case err == errUnterminated || err == errLineTooLong:
			return failure(KindMalformed, res.StatusCode, "%s %s: malformed stream after %d events: %v", req.Method, req.URL, *count, err)
		default:
			return failure(KindNetwork, res.StatusCode, "%s %s: the connection broke after %d events: %v", req.Method, req.URL, *count, err)
		}
	}
}

func failure(kind string, status int, format string, args ...any) *Error {
	return &Error{Kind: kind, Status: status, msg: kind + " error: " + fmt.Sprintf(format, args...)}
}
