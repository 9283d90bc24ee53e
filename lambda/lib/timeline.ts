/** A structured, timestamped record of what a playbook did, for postmortems to quote. */
export interface TimelineEvent {
  readonly at: string;
  readonly event: string;
  readonly detail?: Record<string, unknown>;
}

export class Timeline {
  readonly events: TimelineEvent[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  record(event: string, detail?: Record<string, unknown>): void {
    this.events.push({ at: this.now().toISOString(), event, ...(detail ? { detail } : {}) });
  }
}
