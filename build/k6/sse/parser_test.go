package sse

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// parseAll reads every event of a stream, and the error that ended it (nil for a clean end).
func parseAll(r io.Reader) ([]Event, error) {
	p := newParser(r)
	var events []Event
	for {
		ev, err := p.next()
		if err == io.EOF {
			return events, nil
		}
		if err != nil {
			return events, err
		}
		if ev.Received.IsZero() {
			return events, errors.New("event without a receive time")
		}
		events = append(events, Event{Name: ev.Name, Data: ev.Data, ID: ev.ID})
	}
}

func TestParserFollowsTheEventStreamFormat(t *testing.T) {
	cases := []struct {
		name   string
		stream string
		want   []Event
	}{
		{"one data line", "data: hello\n\n", []Event{{Name: "message", Data: "hello"}}},
		{"CRLF line ends", "data: a\r\nevent: delta\r\n\r\ndata: b\r\n\r\n",
			[]Event{{Name: "delta", Data: "a"}, {Name: "message", Data: "b"}}},
		{"data lines join with LF", "data: one\ndata: two\ndata:\n\n", []Event{{Name: "message", Data: "one\ntwo\n"}}},
		{"only one leading space is removed", "data:  two spaces\ndata:none\n\n",
			[]Event{{Name: "message", Data: " two spaces\nnone"}}},
		{"a field name alone has an empty value", "data\n\n", []Event{{Name: "message", Data: ""}}},
		{"comments are ignored", ": keep-alive\ndata: x\n: between\n\n:\n", []Event{{Name: "message", Data: "x"}}},
		{"an event without data is not dispatched", "event: ping\n\ndata: y\n\n", []Event{{Name: "message", Data: "y"}}},
		{"the last id carries over", "id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n",
			[]Event{{Name: "message", Data: "a", ID: "7"}, {Name: "message", Data: "b", ID: "7"}, {Name: "message", Data: "c"}}},
		{"an id with NUL is ignored", "id: 1\n\nid: a\x00b\ndata: z\n\n", []Event{{Name: "message", Data: "z", ID: "1"}}},
		{"unknown fields and retry are ignored", "retry: 10\nfoo: bar\ndata: q\n\n", []Event{{Name: "message", Data: "q"}}},
		{"a leading BOM is dropped", "\xEF\xBB\xBFdata: bom\n\n", []Event{{Name: "message", Data: "bom"}}},
		{"JSON with colons stays whole", "data: {\"type\":\"RUN_STARTED\",\"a\":\"b:c\"}\n\n",
			[]Event{{Name: "message", Data: `{"type":"RUN_STARTED","a":"b:c"}`}}},
		{"extra blank lines are harmless", "\n\ndata: k\n\n\n\n", []Event{{Name: "message", Data: "k"}}},
		{"an empty stream", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, reader := range []io.Reader{strings.NewReader(c.stream), iotest.OneByteReader(strings.NewReader(c.stream))} {
				got, err := parseAll(reader)
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Fatalf("got %#v, want %#v", got, c.want)
				}
			}
		})
	}
}

func TestParserRejectsAStreamThatEndsInsideAnEvent(t *testing.T) {
	for _, stream := range []string{"data: a\n\ndata: b\n", "data: a\n\ndata: no newline", "data: a\n\nevent: x\n"} {
		got, err := parseAll(strings.NewReader(stream))
		if !errors.Is(err, errUnterminated) {
			t.Fatalf("%q: got error %v, want errUnterminated", stream, err)
		}
		if len(got) != 1 || got[0].Data != "a" {
			t.Fatalf("%q: the complete event before the cut should still arrive, got %#v", stream, got)
		}
	}
	// A trailing comment is not part of an event.
	if _, err := parseAll(strings.NewReader("data: a\n\n: bye\n")); err != nil {
		t.Fatalf("a trailing comment should end cleanly, got %v", err)
	}
}

func TestParserReadsLinesLongerThanItsBufferAndBoundsThem(t *testing.T) {
	big := strings.Repeat("x", 200<<10)
	got, err := parseAll(strings.NewReader("data: " + big + "\n\ndata: after\n\n"))
	if err != nil || len(got) != 2 || got[0].Data != big || got[1].Data != "after" {
		t.Fatalf("long line: err %v, %d events", err, len(got))
	}
	_, err = parseAll(strings.NewReader("data: " + strings.Repeat("y", maxLineBytes+(128<<10)) + "\n\n"))
	if !errors.Is(err, errLineTooLong) {
		t.Fatalf("got %v, want errLineTooLong", err)
	}
}

func TestParserPassesOnReadErrors(t *testing.T) {
	broken := errors.New("connection reset")
	_, err := parseAll(io.MultiReader(strings.NewReader("data: a\n\n"), iotest.ErrReader(broken)))
	if !errors.Is(err, broken) {
		t.Fatalf("got %v, want the read error", err)
	}
}
