// Package sse is the k6 extension k6/x/sse: a streaming HTTP request whose Server-Sent
// Events reach the script one by one, each with the time Go read it.
//
//	import sse from 'k6/x/sse';
//	const stream = sse.open(url, { method: 'POST', headers, body, timeout: '90s', tags: { name: 'agent' } });
//	stream.addEventListener('event', (e) => console.log(e.name, e.data, e.timestamp));
//
// Events arrive through listeners ('open', 'event', 'error', 'close'), the model of k6's own
// WebSocket, rather than through a promise per event: one goroutine reads the stream, and the
// events it has read by the time the event loop is free are delivered in one batch, with no
// promise or extra loop turn per event. The stream also holds the iteration open until its
// 'close' event, so a script cannot end an iteration with a stream still running.
// lib/k6-sse.d.ts declares the API for TypeScript.
package sse

import (
	"errors"
	"net/http"

	"github.com/grafana/sobek"

	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/js/modules"
)

func init() {
	modules.Register("k6/x/sse", &rootModule{})
}

type rootModule struct{}

func (rootModule) NewModuleInstance(vu modules.VU) modules.Instance {
	return &instance{vu: vu}
}

type instance struct {
	vu modules.VU
}

func (i *instance) Exports() modules.Exports {
	return modules.Exports{Named: map[string]any{"open": i.open}}
}

// open starts the request and returns at once; events arrive through the stream's listeners.
func (i *instance) open(rawURL sobek.Value, params sobek.Value) *sobek.Object {
	rt := i.vu.Runtime()
	state := i.vu.State()
	if state == nil {
		common.Throw(rt, errors.New("sse.open can only be called in a VU, not in the init context"))
	}
	req, tags, err := parseOpen(state, rt, rawURL, params)
	if err != nil {
		common.Throw(rt, err)
	}
	client := &http.Client{
		Transport: state.Transport, // k6's own: its dialer counts data_sent and data_received
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse // a redirect is reported as a non-2xx status
		},
	}
	return startStream(i.vu, client, req, tags)
}
