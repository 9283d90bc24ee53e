/** Counts AWS API calls by operation, for cost reports and benchmarks. */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  add(operation: string, n = 1): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + n);
  }

  get(operation: string): number {
    return this.counts.get(operation) ?? 0;
  }

  /** Counts by operation, sorted by name. */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
