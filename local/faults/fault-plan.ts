/**
 * Fault plans: JSON files that make named targets (Task states, resource ARNs, stand-in actions) fail or slow
 * down, on the runtime clock. This module parses and validates them; `fault-injector.ts` applies them.
 */

import { readFileSync } from 'node:fs';
import { InvalidFaultPlanError } from './errors';

export type FaultTarget =
  | { readonly kind: 'state'; readonly state: string }
  | { readonly kind: 'resource'; readonly resource: string }
  | { readonly kind: 'service'; readonly service: string; readonly action?: string };

/** A window bound: milliseconds after the plan starts on the clock, or an absolute instant. */
export type TimePoint =
  | { readonly kind: 'relative'; readonly ms: number; readonly text: string }
  | { readonly kind: 'absolute'; readonly epochMs: number; readonly text: string };

export interface Fault {
  /** `id` from the plan, or `faults[<index>]`. */
  readonly id: string;
  readonly target: FaultTarget;
  readonly error?: string;
  readonly cause?: string;
  readonly code?: string;
  /** HTTP status in the Cause Step Functions reports (`Status Code: 500`). @default the code's status on AWS */
  readonly statusCode?: number;
  readonly latencyMs?: number;
  /** Chance that a considered call is hit, drawn from the plan's seeded PRNG. */
  readonly rate: number;
  /** Only the first `count` matching calls (in the window) are considered. */
  readonly count?: number;
  /** From inclusive, to exclusive. */
  readonly window?: { readonly from?: TimePoint; readonly to?: TimePoint };
}

export interface FaultPlan {
  readonly seed: number;
  readonly faults: readonly Fault[];
  /** Where the plan came from (a file path), for messages. */
  readonly source?: string;
}

const PLAN_FIELDS = ['seed', 'faults', 'description'];
const FAULT_FIELDS = [
  'id',
  'description',
  'target',
  'error',
  'cause',
  'code',
  'statusCode',
  'latencyMs',
  'rate',
  'count',
  'window',
];
const TARGET_FIELDS = ['state', 'resource', 'service', 'action'];
const WINDOW_FIELDS = ['from', 'to'];
const RELATIVE = /^\+(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const ABSOLUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_ERROR_LENGTH = 256;

type Fail = (path: string, problem: string) => never;

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkFields(value: Record<string, unknown>, allowed: readonly string[], path: string, fail: Fail): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      fail(path ? `${path}.${key}` : key, `unknown field; expected one of ${allowed.join(', ')}`);
  }
}

function optionalString(value: unknown, path: string, fail: Fail): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim().length === 0)
    fail(path, `must be a non-empty string, got ${describe(value)}`);
  return value as string;
}

function parseTimePoint(value: unknown, path: string, fail: Fail): TimePoint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const relative = RELATIVE.exec(value);
    if (relative) return { kind: 'relative', ms: Number(relative[1]) * UNIT_MS[relative[2]], text: value };
    if (ABSOLUTE.test(value) && !Number.isNaN(Date.parse(value)))
      return { kind: 'absolute', epochMs: Date.parse(value), text: value };
  }
  return fail(
    path,
    `must be relative to the plan's start ("+30s", "+5m", "+500ms", "+1h", "+1d") or an ISO-8601 date-time with a zone ("2026-01-01T00:05:00Z"), got ${describe(value)}`,
  );
}

function parseTarget(value: unknown, path: string, fail: Fail): FaultTarget {
  if (!isObject(value))
    return fail(path, `must be an object with one of state, resource or service, got ${describe(value)}`);
  checkFields(value, TARGET_FIELDS, path, fail);
  const kinds = ['state', 'resource', 'service'].filter((key) => value[key] !== undefined);
  if (kinds.length !== 1) {
    fail(
      path,
      `give exactly one of state, resource or service (with optional action), got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`,
    );
  }
  if (value.action !== undefined && kinds[0] !== 'service') fail(`${path}.action`, 'only goes with service');
  switch (kinds[0]) {
    case 'state':
      return { kind: 'state', state: optionalString(value.state, `${path}.state`, fail)! };
    case 'resource': {
      const resource = optionalString(value.resource, `${path}.resource`, fail)!;
      if (!resource.startsWith('arn:') && !resource.startsWith('*')) {
        fail(
          `${path}.resource`,
          `must be a resource ARN such as "arn:aws:states:::aws-sdk:rds:describeDBInstances" (a * matches any text), got ${describe(resource)}`,
        );
      }
      return { kind: 'resource', resource };
    }
    default: {
      const service = optionalString(value.service, `${path}.service`, fail)!;
      const action = optionalString(value.action, `${path}.action`, fail);
      return action === undefined ? { kind: 'service', service } : { kind: 'service', service, action };
    }
  }
}

function parseFault(value: unknown, index: number, fail: Fail): Fault {
  const path = `faults[${index}]`;
  if (!isObject(value)) return fail(path, `must be an object, got ${describe(value)}`);
  checkFields(value, FAULT_FIELDS, path, fail);
  const id = optionalString(value.id, `${path}.id`, fail) ?? path;
  optionalString(value.description, `${path}.description`, fail);
  const target = parseTarget(value.target, `${path}.target`, fail);
  const error = optionalString(value.error, `${path}.error`, fail);
  if (error !== undefined && error.length > MAX_ERROR_LENGTH)
    fail(`${path}.error`, `must be at most ${MAX_ERROR_LENGTH} characters`);
  if (error === 'States.ALL')
    fail(`${path}.error`, 'States.ALL is a Retry/Catch wildcard, not an error a Task can raise; name a real error');
  const cause =
    value.cause === undefined
      ? undefined
      : typeof value.cause === 'string'
        ? value.cause
        : fail(`${path}.cause`, `must be a string, got ${describe(value.cause)}`);
  if (cause !== undefined && error === undefined) fail(`${path}.cause`, 'needs an error to go with it');
  let code = optionalString(value.code, `${path}.code`, fail);
  if (code !== undefined && error === undefined) fail(`${path}.code`, 'needs an error to go with it');
  // A dotless error such as "Throttling" is the raw code a service answers with.
  if (code === undefined && error !== undefined && !error.includes('.')) code = error;
  const statusCode = value.statusCode;
  if (statusCode !== undefined) {
    if (error === undefined) fail(`${path}.statusCode`, 'needs an error to go with it');
    if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 400 || statusCode > 599) {
      fail(
        `${path}.statusCode`,
        `must be an HTTP error status, a whole number from 400 to 599, got ${describe(statusCode)}`,
      );
    }
  }
  const latencyMs = value.latencyMs;
  if (latencyMs !== undefined && (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0)) {
    fail(`${path}.latencyMs`, `must be a number of milliseconds >= 0, got ${describe(latencyMs)}`);
  }
  if (error === undefined && latencyMs === undefined)
    fail(path, 'must inject something: give error, latencyMs, or both');
  const rate = value.rate ?? 1;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    fail(`${path}.rate`, `must be between 0 and 1, got ${describe(rate)}`);
  }
  const count = value.count;
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1)) {
    fail(`${path}.count`, `must be a whole number >= 1, got ${describe(count)}`);
  }
  let window: Fault['window'];
  if (value.window !== undefined) {
    if (!isObject(value.window))
      fail(`${path}.window`, `must be an object with from and/or to, got ${describe(value.window)}`);
    const raw = value.window as Record<string, unknown>;
    checkFields(raw, WINDOW_FIELDS, `${path}.window`, fail);
    const from = parseTimePoint(raw.from, `${path}.window.from`, fail);
    const to = parseTimePoint(raw.to, `${path}.window.to`, fail);
    if (from === undefined && to === undefined) fail(`${path}.window`, 'give from, to, or both');
    if (from && to && from.kind === to.kind) {
      const [start, end] =
        from.kind === 'relative' ? [from.ms, (to as typeof from).ms] : [from.epochMs, (to as typeof from).epochMs];
      if (!(start < end)) fail(`${path}.window`, `from (${from.text}) must be before to (${to.text})`);
    }
    window = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  }
  return {
    id,
    target,
    ...(error !== undefined ? { error } : {}),
    ...(cause !== undefined ? { cause } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(statusCode !== undefined ? { statusCode: statusCode as number } : {}),
    ...(latencyMs !== undefined ? { latencyMs: latencyMs as number } : {}),
    rate: rate as number,
    ...(count !== undefined ? { count: count as number } : {}),
    ...(window ? { window } : {}),
  };
}

/** Validates a plan (already parsed from JSON); every problem names its field path. */
export function parseFaultPlan(json: unknown, source?: string): FaultPlan {
  const fail: Fail = (path, problem) => {
    throw new InvalidFaultPlanError(path, problem, source);
  };
  if (!isObject(json)) return fail('(plan)', `must be an object with seed and faults, got ${describe(json)}`);
  checkFields(json, PLAN_FIELDS, '', fail);
  const seed = json.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isInteger(seed))
    fail('seed', `must be a whole number, got ${describe(seed)}`);
  if (!Array.isArray(json.faults)) fail('faults', `must be a list of faults, got ${describe(json.faults)}`);
  const faults = (json.faults as unknown[]).map((fault, index) => parseFault(fault, index, fail));
  const ids = new Set<string>();
  faults.forEach((fault, index) => {
    if (ids.has(fault.id)) fail(`faults[${index}].id`, `"${fault.id}" is used by an earlier fault; ids must be unique`);
    ids.add(fault.id);
  });
  return { seed: seed as number, faults, ...(source !== undefined ? { source } : {}) };
}

/** Reads a plan from a file path, or from JSON text when the argument starts with `{`. */
export function loadFaultPlan(pathOrJson: string): FaultPlan {
  const inline = pathOrJson.trimStart().startsWith('{');
  const source = inline ? undefined : pathOrJson;
  let text = pathOrJson;
  if (!inline) {
    try {
      text = readFileSync(pathOrJson, 'utf8');
    } catch (error) {
      throw new InvalidFaultPlanError(
        '(file)',
        `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); give a path to a JSON fault plan or the JSON itself`,
        pathOrJson,
        { cause: error },
      );
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidFaultPlanError('(plan)', `is not valid JSON: ${(error as Error).message}`, source, {
      cause: error,
    });
  }
  return parseFaultPlan(json, source);
}
