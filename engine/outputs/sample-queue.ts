import type { Sample } from '../metrics/types.ts';

/**
 * Samples waiting to be written, in chunks of at most `chunkSize` (one write request each), holding at most
 * `capacity` samples: past that, new samples are refused and counted, so a slow or absent server cannot make
 * the engine's memory grow without bound.
 */
export class SampleQueue {
  private readonly chunks: Sample[][] = [];
  private held = 0;
  private refusedSinceTaken = 0;

  constructor(
    private readonly chunkSize: number,
    private readonly capacity: number,
  ) {}

  get size(): number {
    return this.held;
  }

  /** Adds what fits; returns how many were refused. */
  push(samples: readonly Sample[]): number {
    let index = 0;
    while (index < samples.length && this.held < this.capacity) {
      let last = this.chunks[this.chunks.length - 1];
      if (!last || last.length >= this.chunkSize) {
        last = [];
        this.chunks.push(last);
      }
      const room = Math.min(this.chunkSize - last.length, this.capacity - this.held, samples.length - index);
      for (let end = index + room; index < end; index++) last.push(samples[index]!);
      this.held += room;
    }
    const refused = samples.length - index;
    this.refusedSinceTaken += refused;
    return refused;
  }

  /** True when a whole chunk is waiting: worth a write before the next push interval. */
  hasFullChunk(): boolean {
    const first = this.chunks[0];
    return first !== undefined && first.length >= this.chunkSize;
  }

  /** The oldest chunk, full or not. */
  take(): Sample[] | undefined {
    const chunk = this.chunks.shift();
    if (chunk) this.held -= chunk.length;
    return chunk;
  }

  /** How many were refused since the last call. */
  takeRefusedCount(): number {
    const count = this.refusedSinceTaken;
    this.refusedSinceTaken = 0;
    return count;
  }
}
