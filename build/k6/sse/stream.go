package sse

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/sobek"

	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/js/modules"
	"go.k6.io/k6/v2/metrics"
)

// stream is the object sse.open returns. Its fields are only touched on the event loop,
// except tags, which only the reading goroutine uses once the stream has started.
type stream struct {
	vu        modules.VU
	iteration context.Context // the iteration that opened the stream; nothing reaches the script after it ends
	obj       *sobek.Object
	queue     *loopQueue
	cancel    context.CancelCauseFunc
	tags      metrics.TagsAndMeta
	listeners map[string][]sobek.Callable
	received  int
	closing   bool // close() was called: later events are dropped
	failed    bool // a listener threw: the iteration is over for this stream
}

var listenerTypes = []string{"open", "event", "error", "close"}

func startStream(vu modules.VU, client *http.Client, req Request, tags metrics.TagsAndMeta) *sobek.Object {
	rt := vu.Runtime()
	ctx, cancel := context.WithCancelCause(vu.Context())
	s := &stream{
		vu:        vu,
		iteration: vu.Context(),
		obj:       rt.NewObject(),
		queue:     newLoopQueue(vu.RegisterCallback),
		cancel:    cancel,
		tags:      tags,
		listeners: make(map[string][]sobek.Callable),
	}
	must(rt, s.obj.Set("url", req.URL))
	must(rt, s.obj.Set("addEventListener", s.addEventListener))
	must(rt, s.obj.Set("close", s.close))
	go func() {
		Read(ctx, client, req, s)
		cancel(nil)
		s.queue.close()
	}()
	return s.obj
}

func (s *stream) addEventListener(kind string, listener sobek.Value) {
	rt := s.vu.Runtime()
	fn, ok := sobek.AssertFunction(listener)
	if !ok {
		common.Throw(rt, fmt.Errorf("addEventListener(%q, …) needs a function", kind))
	}
	for _, known := range listenerTypes {
		if kind == known {
			s.listeners[kind] = append(s.listeners[kind], fn)
			return
		}
	}
	common.Throw(rt, fmt.Errorf("unknown stream event %q, the known ones are %s", kind, strings.Join(listenerTypes, ", ")))
}

// close ends the stream; its 'close' event follows, with reason "closed".
func (s *stream) close() {
	if !s.closing {
		s.closing = true
		s.cancel(ErrClosed)
	}
}

// Opened, Received and Ended implement Sink on the reading goroutine; each queues its
// delivery to the event loop.

func (s *stream) Opened(status int, header http.Header, at time.Time) {
	s.countRequest(status, at)
	headers := make(map[string]string, len(header))
	for name, values := range header {
		headers[name] = strings.Join(values, ", ")
	}
	s.queue.push(func() error {
		return s.emit("open", at, func(ev *sobek.Object) {
			s.set(ev, "status", status)
			s.set(ev, "headers", headers)
		})
	})
}

func (s *stream) Received(ev Event) {
	s.queue.push(func() error {
		if s.closing {
			return nil
		}
		s.received++
		return s.emit("event", ev.Received, func(o *sobek.Object) {
			s.set(o, "name", ev.Name)
			s.set(o, "data", ev.Data)
			s.set(o, "id", ev.ID)
		})
	})
}

func (s *stream) Ended(err error, at time.Time) {
	var failure *Error
	if errors.As(err, &failure) && failure.Status != 0 {
		s.countRequest(failure.Status, at) // the response came, but not as a stream
	}
	s.queue.push(func() error {
		reason := "end"
		switch {
		case failure != nil:
			reason = "error"
			if e := s.emit("error", at, func(o *sobek.Object) {
				s.set(o, "kind", failure.Kind)
				s.set(o, "status", failure.Status)
				s.set(o, "error", failure.Error())
			}); e != nil {
				return e
			}
		case err != nil:
			reason = "closed"
		}
		return s.emit("close", at, func(o *sobek.Object) {
			s.set(o, "reason", reason)
			s.set(o, "events", s.received)
		})
	})
}

// emit calls the listeners of one kind with a fresh event object. A listener that throws
// closes the stream and ends the iteration, as it would with k6's WebSocket.
func (s *stream) emit(kind string, at time.Time, fill func(*sobek.Object)) error {
	listeners := s.listeners[kind]
	if s.failed || len(listeners) == 0 || s.iteration.Err() != nil {
		return nil
	}
	ev := s.vu.Runtime().NewObject()
	s.set(ev, "type", kind)
	s.set(ev, "timestamp", float64(at.UnixNano())/1e6) // ms since the epoch, like k6's WebSocket events
	fill(ev)
	for _, listener := range listeners {
		if _, err := listener(sobek.Undefined(), ev); err != nil {
			s.failed = true
			s.cancel(ErrClosed)
			return err
		}
	}
	return nil
}

func (s *stream) set(o *sobek.Object, key string, value any) {
	must(s.vu.Runtime(), o.Set(key, value))
}

// countRequest adds the request to k6's http_reqs, with the method, url, name and status tags.
func (s *stream) countRequest(status int, at time.Time) {
	state := s.vu.State()
	s.tags.SetSystemTagOrMetaIfEnabled(state.Options.SystemTags, metrics.TagStatus, strconv.Itoa(status))
	metrics.PushIfNotDone(s.iteration, state.Samples, metrics.Sample{
		TimeSeries: metrics.TimeSeries{Metric: state.BuiltinMetrics.HTTPReqs, Tags: s.tags.Tags},
		Time:       at,
		Metadata:   s.tags.Metadata,
		Value:      1,
	})
}

func must(rt *sobek.Runtime, err error) {
	if err != nil {
		common.Throw(rt, err)
	}
}
