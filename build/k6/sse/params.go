package sse

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/grafana/sobek"

	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/lib"
	"go.k6.io/k6/v2/lib/types"
	"go.k6.io/k6/v2/metrics"
)

// defaultTimeout matches k6/http's default request timeout.
const defaultTimeout = 60 * time.Second

// parseOpen turns the arguments of sse.open(url, params) into a Request and the tags its
// metrics carry. It runs on the event loop.
func parseOpen(state *lib.State, rt *sobek.Runtime, rawURL sobek.Value, raw sobek.Value) (Request, metrics.TagsAndMeta, error) {
	tags := state.Tags.GetCurrentValues()
	req := Request{Method: http.MethodPost, Header: make(http.Header), Timeout: defaultTimeout}
	if common.IsNullish(rawURL) {
		return req, tags, errors.New("sse.open needs a URL")
	}
	req.URL = rawURL.String()
	if u, err := url.Parse(req.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return req, tags, fmt.Errorf("sse.open needs an http or https URL, got %q", req.URL)
	}
	if state.Options.UserAgent.String != "" {
		req.Header.Set("User-Agent", state.Options.UserAgent.String)
	}
	req.Header.Set("Accept", "text/event-stream")

	if !common.IsNullish(raw) {
		params := raw.ToObject(rt)
		for _, key := range params.Keys() {
			value := params.Get(key)
			if err := applyParam(rt, &req, &tags, key, value); err != nil {
				return req, tags, err
			}
		}
	}

	systemTags := state.Options.SystemTags
	tags.SetSystemTagOrMetaIfEnabled(systemTags, metrics.TagMethod, req.Method)
	name, named := tags.Tags.Get(metrics.TagName.String())
	if !named {
		name = req.URL
	}
	tags.SetSystemTagOrMetaIfEnabled(systemTags, metrics.TagURL, name)
	tags.SetSystemTagOrMetaIfEnabled(systemTags, metrics.TagName, name)
	return req, tags, nil
}

func applyParam(rt *sobek.Runtime, req *Request, tags *metrics.TagsAndMeta, key string, value sobek.Value) error {
	if common.IsNullish(value) {
		return nil
	}
	switch key {
	case "method":
		req.Method = strings.ToUpper(value.String())
	case "headers":
		headers := value.ToObject(rt)
		for _, name := range headers.Keys() {
			req.Header.Set(name, headers.Get(name).String())
		}
	case "body":
		switch body := value.Export().(type) {
		case string:
			req.Body = []byte(body)
		case sobek.ArrayBuffer:
			req.Body = append([]byte(nil), body.Bytes()...)
		default:
			return fmt.Errorf("sse.open: body must be a string or an ArrayBuffer, got %T", body)
		}
	case "timeout":
		timeout, err := types.GetDurationValue(value.Export())
		if err != nil || timeout <= 0 {
			return fmt.Errorf("sse.open: timeout must be a positive duration such as '90s' or a number of ms, got %v", value)
		}
		req.Timeout = timeout
	case "tags":
		if err := common.ApplyCustomUserTags(rt, tags, value); err != nil {
			return fmt.Errorf("sse.open: invalid tags: %w", err)
		}
	default:
		return fmt.Errorf("sse.open: unknown option %q (known: method, headers, body, timeout, tags)", key)
	}
	return nil
}
