/**
 * Client side: acknowledge in batches (one ACK per `every` bytes written to xterm, or when the
 * stream goes quiet) so ACK traffic stays small. Pure counter; the caller sends the ACK frames.
 */
export class AckBatcher {
  private pending = 0;
  constructor(private readonly every = 16 * 1024) {}
  /** Returns how many bytes to acknowledge now (0 = wait). */
  written(bytes: number): number {
    this.pending += bytes;
    if (this.pending >= this.every) return this.flush();
    return 0;
  }
  flush(): number {
    const n = this.pending;
    this.pending = 0;
    return n;
  }
  get outstanding(): number {
    return this.pending;
  }
}
