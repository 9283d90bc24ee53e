import { InputError } from '../../contract/errors';
import type { DrillState } from './state';
import {
  abort,
  type DrillDeps,
  type DrillStepName,
  failback,
  failover,
  finish,
  pollMarker,
  pollPrimary,
  pollStandby,
  start,
  writeMarker,
} from './steps';

/** The event of the drill Lambda: which step, and the drill's state (the execution input for `start`). */
export interface DrillEvent {
  readonly step: DrillStepName;
  readonly drill: unknown;
}

const STEPS: Record<DrillStepName, (state: never, deps: DrillDeps) => unknown> = {
  start: (input: unknown, deps) => start(input, deps),
  failover,
  pollStandby,
  writeMarker,
  pollMarker,
  failback,
  pollPrimary,
  finish,
  abort,
};

/** Every step the drill Lambda runs, in the machine's order. */
export const DRILL_STEPS = Object.keys(STEPS) as DrillStepName[];

/** Run one step; the state machine passes the step's name and the state. */
export async function runDrillStep(event: DrillEvent, deps: DrillDeps): Promise<unknown> {
  const step = STEPS[event?.step];
  if (!Object.hasOwn(STEPS, event?.step ?? '')) {
    throw new InputError(`step: got ${JSON.stringify(event?.step)}, expected one of ${DRILL_STEPS.join(', ')}`);
  }
  return step(event.drill as DrillState as never, deps);
}
