import { z } from 'zod';

/**
 * The ISO-8601 instants the playbooks accept (drctl flags and Lambda events alike): a calendar date,
 * a time with seconds, and an explicit UTC offset (`Z` or `±hh:mm`). zod checks the form and the
 * calendar (no 30 February, no hour 24); `new Date()` alone would read "2026" as 1 January and
 * roll 2026-02-30 over into March.
 */
const INSTANT = z.iso.datetime({ offset: true });

/** Parse an instant, or explain (naming the field and the value) what is expected. */
export function parseInstant(field: string, value: string): Date | string {
  const date = new Date(value);
  if (typeof value !== 'string' || !INSTANT.safeParse(value).success || Number.isNaN(date.getTime())) {
    return `${field}: got "${String(value)}", expected an ISO-8601 instant with a UTC offset, e.g. 2026-11-28T10:00:00Z or 2026-11-28T11:00:00+01:00`;
  }
  return date;
}
