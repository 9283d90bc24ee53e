/** How drctl talks to the operator: results on stdout, progress and messages on stderr. */
export class Output {
  constructor(
    private readonly json: boolean,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  /** A line for people: stdout normally, stderr with --json (stdout is kept for the JSON). */
  say(line: string): void {
    (this.json ? this.stderr : this.stdout).write(`${line}\n`);
  }

  error(line: string): void {
    this.stderr.write(`${line}\n`);
  }

  result(value: unknown): void {
    if (this.json) this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A one-line progress report, redrawn in place on a terminal, silent otherwise. */
  progress(line: string): void {
    if (this.stderr.isTTY) this.stderr.write(`\r\x1b[2K${line}`);
  }

  endProgress(): void {
    if (this.stderr.isTTY) this.stderr.write('\r\x1b[2K');
  }
}

/** A text progress bar: `[#####.....] 50%`. */
export function bar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(ratio * 100)}%`;
}
