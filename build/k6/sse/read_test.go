package sse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// recorder is a Sink that hands everything to the test over channels.
type recorder struct {
	opened chan int
	events chan Event
	ended  chan error
}

func newRecorder() *recorder {
	return &recorder{opened: make(chan int, 1), events: make(chan Event, 100), ended: make(chan error, 1)}
}

func (r *recorder) Opened(status int, _ http.Header, _ time.Time) { r.opened <- status }
func (r *recorder) Received(ev Event)                             { r.events <- ev }
func (r *recorder) Ended(err error, _ time.Time)                  { r.ended <- err }

// waitEnd bounds every test: nothing here waits longer than this for the stream to end.
func (r *recorder) waitEnd(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.ended:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("the stream did not end")
		return nil
	}
}

func post(url string) Request {
	return Request{Method: http.MethodPost, URL: url, Header: http.Header{"X-Test": {"yes"}}, Body: []byte(`{"run":1}`), Timeout: 10 * time.Second}
}

// hang holds a response open until the client goes away. The server notices that only once
// the request body has been read, and the wait is bounded anyway.
func hang(r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
}

func eventStream(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(http.StatusOK)
}

func TestReadDeliversEachEventBeforeTheNextIsSent(t *testing.T) {
	sink := newRecorder()
	// The server writes the second event only once the first has reached the sink,
	// so the first event cannot have been buffered with the rest of the body.
	firstSeen := make(chan struct{})
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("X-Test") != "yes" || string(body) != `{"run":1}` {
			http.Error(w, fmt.Sprintf("bad request: %s %q %q", r.Method, r.Header.Get("X-Test"), body), http.StatusBadRequest)
			return
		}
		eventStream(w)
		fmt.Fprint(w, "data: first\n\n")
		w.(http.Flusher).Flush()
		select {
		case <-firstSeen:
		case <-time.After(10 * time.Second):
			return
		}
		fmt.Fprint(w, "event: second\ndata: two\n\n")
	}))
	defer server.Close()

	go Read(context.Background(), server.Client(), post(server.URL), sink)
	if status := <-sink.opened; status != http.StatusOK {
		t.Fatalf("opened with %d", status)
	}
	first := <-sink.events
	close(firstSeen)
	if err := sink.waitEnd(t); err != nil {
		t.Fatalf("a clean end should have no error, got %v", err)
	}
	second := <-sink.events
	if first.Data != "first" || second.Name != "second" || second.Data != "two" {
		t.Fatalf("got %#v then %#v", first, second)
	}
	if second.Received.Before(first.Received) {
		t.Fatal("receive times go backwards")
	}
}

func TestReadNamesTheCauseOfEachFailure(t *testing.T) {
	refused := func() string {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := listener.Addr().String()
		listener.Close()
		return "http://" + addr + "/"
	}
	cases := []struct {
		name    string
		handler http.HandlerFunc // nil: nothing listens
		timeout time.Duration
		kind    string
		status  int
		says    string
	}{
		{"connection refused", nil, 0, KindConnect, 0, "connection refused"},
		{"status", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
		}, 0, KindStatus, 503, "503 Service Unavailable: \"overloaded\\n\""},
		{"not an event stream", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"error":"no stream"}`)
		}, 0, KindMalformed, 200, `Content-Type "application/json"`},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			eventStream(w)
			fmt.Fprint(w, "data: only one\n\n")
			w.(http.Flusher).Flush()
			hang(r)
		}, 300 * time.Millisecond, KindTimeout, 0, "still open after 300ms (1 events received)"},
		{"timeout before the response", func(w http.ResponseWriter, r *http.Request) {
			hang(r)
		}, 300 * time.Millisecond, KindTimeout, 0, "(0 events received)"},
		{"cut inside an event", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Connection", "close") // no chunking: the body ends when the connection does
			eventStream(w)
			fmt.Fprint(w, "data: whole\n\ndata: half")
		}, 0, KindMalformed, 200, "malformed stream after 1 events: the stream ended inside an event"},
		{"connection broken", func(w http.ResponseWriter, r *http.Request) {
			eventStream(w)
			fmt.Fprint(w, "data: whole\n\n")
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // drops the connection in the middle of the chunked body
		}, 0, KindNetwork, 200, "the connection broke after 1 events: unexpected EOF"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			url := ""
			if c.handler == nil {
				url = refused()
			} else {
				server := httptest.NewServer(c.handler)
				defer server.Close()
				url = server.URL
			}
			req := post(url)
			if c.timeout > 0 {
				req.Timeout = c.timeout
			}
			sink := newRecorder()
			go Read(context.Background(), http.DefaultClient, req, sink)
			var failure *Error
			if err := sink.waitEnd(t); !errors.As(err, &failure) {
				t.Fatalf("want an *Error, got %v", err)
			}
			if failure.Kind != c.kind || failure.Status != c.status || !strings.Contains(failure.Error(), c.says) {
				t.Fatalf("got kind %q status %d %q; want kind %q status %d and %q", failure.Kind, failure.Status, failure.Error(), c.kind, c.status, c.says)
			}
			if !strings.HasPrefix(failure.Error(), c.kind+" error: POST "+url) {
				t.Fatalf("the message should start with the kind, method and URL: %q", failure.Error())
			}
		})
	}
}

func TestReadStopsWhenClosedAndSaysSo(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		eventStream(w)
		for i := 0; ; i++ {
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}))
	defer server.Close()

	ctx, cancel := context.WithCancelCause(context.Background())
	sink := newRecorder()
	go Read(ctx, server.Client(), post(server.URL), sink)
	<-sink.events
	cancel(ErrClosed)
	err := sink.waitEnd(t)
	var failure *Error
	if !errors.Is(err, ErrClosed) || errors.As(err, &failure) {
		t.Fatalf("a closed stream should end with ErrClosed and no failure, got %v", err)
	}
}

func TestReadEndsCleanlyWhenTheServerFinishes(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		eventStream(w)
		fmt.Fprint(w, ": hello\r\n\r\ndata: a\r\n\r\ndata: b\r\n\r\n")
	}))
	defer server.Close()
	sink := newRecorder()
	go Read(context.Background(), server.Client(), post(server.URL), sink)
	if err := sink.waitEnd(t); err != nil {
		t.Fatalf("got %v", err)
	}
	if got := len(sink.events); got != 2 {
		t.Fatalf("got %d events, want 2", got)
	}
}
