package ledger

import (
	"fmt"
	"sync"
	"testing"
)

func TestNotesFromManyVUsAllArrive(t *testing.T) {
	b := newBook()
	var wg sync.WaitGroup
	for vu := 0; vu < 8; vu++ {
		wg.Add(1)
		go func(vu int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				b.add("outages", fmt.Sprintf("%d:%d", vu, i))
				b.count("errors", "refused")
			}
		}(vu)
	}
	wg.Wait()
	if got := len(b.list("outages")); got != 800 {
		t.Fatalf("notes: got %d, want 800", got)
	}
	if got := b.countsOf("errors")["refused"]; got != 800 {
		t.Fatalf("count: got %d, want 800", got)
	}
}

func TestAListIsBoundedAndReadsAreCopies(t *testing.T) {
	b := newBook()
	for i := 0; i < maxNotes+5; i++ {
		b.add("l", "x")
	}
	if b.add("l", "one too many") {
		t.Fatal("a full list accepted a note")
	}
	read := b.list("l")
	read[0] = "changed"
	if b.list("l")[0] != "x" {
		t.Fatal("a read shares the book's storage")
	}
	if len(read) != maxNotes {
		t.Fatalf("len %d, want %d", len(read), maxNotes)
	}
}
