/**
 * The time of day and a real wait, the default for every playbook that takes `now` and `sleep`
 * dependencies. One object, so that a test can check that code given its own clock never falls back
 * on this one (a playbook that mixed the two would poll back to back, or wait real seconds in a
 * test), and can drive this one with fake timers.
 */
export const systemClock = {
  now: (): Date => new Date(),
  sleep: (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
