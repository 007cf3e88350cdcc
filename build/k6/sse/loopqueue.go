package sse

import "sync"

// loopQueue hands callbacks from a reading goroutine to a VU's event loop, in order.
//
// k6's event loop takes one callback per reservation (RegisterCallback), reservations can
// only be made on the loop itself, and the loop keeps the iteration alive while one is
// outstanding. So the queue holds one reservation at a time: a push spends it, and the
// loop renews it while it runs the batch. close releases the last one, letting the
// iteration end.
type loopQueue struct {
	reserve func() func(func() error)

	mu      sync.Mutex
	enqueue func(func() error) // the unspent reservation; nil while a batch waits for the loop
	batch   []func() error
	closed  bool
}

// newLoopQueue must be called on the event loop.
func newLoopQueue(reserve func() func(func() error)) *loopQueue {
	return &loopQueue{reserve: reserve, enqueue: reserve()}
}

// push may be called from any goroutine; after close it does nothing.
func (q *loopQueue) push(task func() error) {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.batch = append(q.batch, task)
	enqueue := q.enqueue
	q.enqueue = nil
	q.mu.Unlock()
	if enqueue != nil {
		enqueue(q.runBatch)
	}
}

// close lets the loop finish once the tasks already pushed have run.
func (q *loopQueue) close() {
	q.mu.Lock()
	q.closed = true
	enqueue := q.enqueue
	q.enqueue = nil
	q.mu.Unlock()
	if enqueue != nil {
		enqueue(func() error { return nil })
	}
}

// runBatch runs on the loop. It stops at the first error, which ends the iteration.
func (q *loopQueue) runBatch() error {
	q.mu.Lock()
	batch := q.batch
	q.batch = nil
	if !q.closed { // once closed, no reservation is renewed, so the iteration can end
		q.enqueue = q.reserve()
	}
	q.mu.Unlock()
	for _, task := range batch {
		if err := task(); err != nil {
			return err
		}
	}
	return nil
}
