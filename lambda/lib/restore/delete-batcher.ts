import { DELETE_BATCH } from './executor';

/**
 * Collects keys to hide and hands them on in batches of at most `batchSize` (DeleteObjects takes
 * at most 1,000 keys per request). A batch goes out as soon as it is full; `flush` sends the rest
 * (before a pause and at the end of a restore, so no planned delete is left behind).
 */
export class DeleteBatcher {
  private pending: string[] = [];

  constructor(
    private readonly sendBatch: (keys: readonly string[]) => Promise<void>,
    private readonly batchSize: number = DELETE_BATCH,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new Error(`batchSize must be a positive integer (got ${batchSize})`);
    }
  }

  /** Keys waiting for the next batch. */
  get size(): number {
    return this.pending.length;
  }

  async add(key: string): Promise<void> {
    this.pending.push(key);
    if (this.pending.length >= this.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const keys = this.pending;
    this.pending = [];
    await this.sendBatch(keys);
  }
}
