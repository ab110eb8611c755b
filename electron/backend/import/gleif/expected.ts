// Header RecordCount as a progress total, only when plausible: GLEIF excerpts (the bundled samples
// and anything cut from a golden copy) keep the full file's count (2,394,586 for 13 records). The
// count is passed on once the file has proved large (more than 4 MiB read and the count not yet
// exceeded), or at the end when it matches exactly; a small file never announces a count it lacks.
import type { ParseContext } from '../types';

const PLAUSIBLE_AFTER_BYTES = 4 * 1024 * 1024;

export class ExpectedRecords {
  private announced: number | null = null;
  private seenBytes = 0;
  private seenRecords = 0;

  constructor(private readonly ctx: ParseContext) {}

  announce(n: number): void {
    this.announced = n;
    this.check();
  }

  bytes(n: number): void {
    this.seenBytes += n;
    this.check();
  }

  count(n: number): void {
    this.seenRecords += n;
  }

  end(): void {
    if (this.announced !== null && this.announced === this.seenRecords) this.ctx.setExpectedRecords(this.announced);
    this.announced = null;
  }

  private check(): void {
    if (this.announced !== null && this.seenBytes > PLAUSIBLE_AFTER_BYTES) {
      if (this.seenRecords <= this.announced) this.ctx.setExpectedRecords(this.announced);
      this.announced = null;
    }
  }
}
