// Package ledger is the k6 extension k6/x/ledger: notes that every VU of one k6 process can
// add to and that handleSummary can read. k6 gives handleSummary only aggregated metrics, and
// some findings are lists (outage windows, errors by kind), not aggregates.
//
//	import ledger from 'k6/x/ledger';
//	ledger.add('outages', '…');   ledger.count('errors', 'refused');
//	ledger.list('outages');        ledger.counts('errors');   // in handleSummary
package ledger

import (
	"os"
	"sync"

	"go.k6.io/k6/v2/js/modules"
)

// maxNotes bounds each list, so a long soak cannot grow it without end.
const maxNotes = 10_000

func init() {
	modules.Register("k6/x/ledger", newBook())
	// A script must not import a k6/x module this k6 lacks (k6 fails the test), so it asks first.
	_ = os.Setenv("K6_X_LEDGER", "1")
}

// book is shared by every VU of the process.
type book struct {
	mu     sync.Mutex
	notes  map[string][]string
	counts map[string]map[string]int64
}

func newBook() *book {
	return &book{notes: map[string][]string{}, counts: map[string]map[string]int64{}}
}

func (b *book) NewModuleInstance(modules.VU) modules.Instance { return b }

func (b *book) Exports() modules.Exports {
	return modules.Exports{Named: map[string]any{"add": b.add, "list": b.list, "count": b.count, "counts": b.countsOf}}
}

// add appends a note to a list; once the list is full, further notes are dropped.
func (b *book) add(list, note string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.notes[list]) >= maxNotes {
		return false
	}
	b.notes[list] = append(b.notes[list], note)
	return true
}

func (b *book) list(list string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.notes[list]...)
}

func (b *book) count(table, key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.counts[table] == nil {
		b.counts[table] = map[string]int64{}
	}
	b.counts[table][key]++
}

func (b *book) countsOf(table string) map[string]int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	copied := make(map[string]int64, len(b.counts[table]))
	for key, n := range b.counts[table] {
		copied[key] = n
	}
	return copied
}
