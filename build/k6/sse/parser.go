package sse

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
)

// Event is one dispatched Server-Sent Event.
type Event struct {
	Name     string    // the `event:` field, "message" when the event had none
	Data     string    // the `data:` lines joined with "\n"
	ID       string    // the last event ID seen on the stream so far
	Received time.Time // when the blank line that dispatched the event was read
}

// maxLineBytes bounds one line, so a stream that never sends a newline cannot grow memory without end.
const maxLineBytes = 8 << 20

var (
	errUnterminated = errors.New("the stream ended inside an event (a field line without the blank line that dispatches it)")
	errLineTooLong  = fmt.Errorf("a line is longer than %d MiB", maxLineBytes>>20)
	utf8BOM         = []byte{0xEF, 0xBB, 0xBF}
)

// parser reads the subset of the WHATWG event-stream format a load test needs:
// data, event and id fields, comments, LF or CRLF line ends, and a blank line to dispatch.
// retry is ignored because the stream is never reconnected.
type parser struct {
	r         *bufio.Reader
	long      []byte // a line that did not fit in the reader's buffer, assembled here
	firstLine bool
	data      []byte
	hasData   bool
	name      string
	lastID    string
	pending   bool // a field line arrived since the last dispatch
}

func newParser(r io.Reader) *parser {
	return &parser{r: bufio.NewReaderSize(r, 64<<10), firstLine: true}
}

// next returns the next event, io.EOF when the stream ended cleanly, or the read error.
func (p *parser) next() (Event, error) {
	for {
		line, err := p.readLine()
		if err == io.EOF {
			if len(line) > 0 || p.pending {
				return Event{}, errUnterminated
			}
			return Event{}, io.EOF
		}
		if err != nil {
			return Event{}, err
		}
		if len(line) > 0 {
			p.field(line)
			continue
		}
		if ev, ok := p.dispatch(); ok {
			ev.Received = time.Now()
			return ev, nil
		}
	}
}

// readLine returns one line without its LF or CRLF; at the end of the stream it returns
// what is left of an unfinished line together with io.EOF.
func (p *parser) readLine() ([]byte, error) {
	line, err := p.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		p.long = append(p.long[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(p.long) > maxLineBytes {
				return nil, errLineTooLong
			}
			line, err = p.r.ReadSlice('\n')
			p.long = append(p.long, line...)
		}
		line = p.long
	}
	if err != nil {
		return line, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if p.firstLine {
		p.firstLine = false
		line = bytes.TrimPrefix(line, utf8BOM)
	}
	return line, nil
}

func (p *parser) field(line []byte) {
	if line[0] == ':' {
		return // a comment, often a keep-alive
	}
	p.pending = true
	name, value, found := bytes.Cut(line, []byte{':'})
	if found && len(value) > 0 && value[0] == ' ' {
		value = value[1:]
	}
	switch string(name) {
	case "data":
		if p.hasData {
			p.data = append(p.data, '\n')
		}
		p.data = append(p.data, value...)
		p.hasData = true
	case "event":
		p.name = string(value)
	case "id":
		if bytes.IndexByte(value, 0) < 0 {
			p.lastID = string(value)
		}
	}
}

// dispatch ends the current event; like a browser, it drops an event that carried no data.
func (p *parser) dispatch() (Event, bool) {
	defer func() {
		p.data, p.hasData, p.name, p.pending = p.data[:0], false, "", false
	}()
	if !p.hasData {
		return Event{}, false
	}
	name := p.name
	if name == "" {
		name = "message"
	}
	return Event{Name: name, Data: string(p.data), ID: p.lastID}, true
}
