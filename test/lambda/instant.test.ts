import { parseInstant } from '../../lambda/lib/instant';

const expected = (value: string) =>
  `to: got "${value}", expected an ISO-8601 instant with a UTC offset, e.g. 2026-11-28T10:00:00Z or 2026-11-28T11:00:00+01:00`;

describe('parseInstant', () => {
  test.each([
    ['2026-11-28T10:00:00Z', '2026-11-28T10:00:00.000Z'],
    ['2026-11-28T11:00:00+01:00', '2026-11-28T10:00:00.000Z'],
    ['2026-11-28T05:30:00.250-04:30', '2026-11-28T10:00:00.250Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('%s is %s', (value, iso) => {
    expect((parseInstant('to', value) as Date).toISOString()).toBe(iso);
  });

  test.each([
    '2026', // new Date() reads this as 1 January 2026
    '2026-11-28',
    '2026-11-28T10:00:00', // no offset: local time of whichever machine runs it
    '2026-11-28T10:00Z', // no seconds
    '2026-02-30T00:00:00Z', // new Date() rolls this over into March
    '2026-11-28T24:00:00Z',
    '2026-11-28T10:00:00+01',
    'Sat, 28 Nov 2026 10:00:00 GMT',
    '',
  ])('"%s" is refused, naming the field and the value', (value) => {
    expect(parseInstant('to', value)).toBe(expected(value));
  });
});
