import { z } from 'zod';
import { READINESS_CHECKS } from './assurance';

/**
 * The readiness reply as a schema (ReadinessReport in assurance.ts): what the readiness Lambda
 * returns and what the game-day drill accepts before it moves traffic. The drill treats the reply
 * as untrusted input (test/lambda/drill/readiness-gate.test.ts keeps the two types equal) (another function's output, passed through Step Functions): anything that
 * does not parse here stops the drill before failover. No CDK import (lambda/contract/).
 */
export const readinessCheckSchema = z.object({
  check: z.enum(READINESS_CHECKS, { error: `one of ${READINESS_CHECKS.join(', ')}` }),
  ok: z.boolean(),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const readinessReportSchema = z.object({
  ready: z.boolean(),
  checkedAt: z.iso.datetime({ error: 'an ISO-8601 UTC instant such as 2026-11-28T09:59:30.000Z' }),
  app: z.string().min(1, 'the app name'),
  region: z.string().min(1, 'a region'),
  checks: z.array(readinessCheckSchema).readonly(),
});

/** The newest reply the drill accepts: a reply older than this says little about the standby now. */
export const READINESS_MAX_AGE_SECONDS = 300;
/** How far the reply's `checkedAt` may be ahead of the drill's clock (two Lambda clocks, both NTP-synced). */
export const READINESS_MAX_SKEW_SECONDS = 60;
