/** Query-string fields shared by the listing routes: their rules and messages are the same everywhere. */
import { z } from 'zod';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

const LIMIT_RULE = `must be a whole number from 1 to ${MAX_PAGE_SIZE}`;

/** `limit=25`: how many items a page holds at most. */
export const limitField = z
  .string()
  .regex(/^[1-9][0-9]{0,2}$/, LIMIT_RULE)
  .transform(Number)
  .refine((limit) => limit <= MAX_PAGE_SIZE, LIMIT_RULE)
  .optional();

/** `nextToken=...`: the previous page's token; decoded by the route, which knows its query. */
export const nextTokenField = z.string().min(1, 'must not be empty (leave it out for the first page)').optional();

/** An RDS DB instance identifier: 1 to 63 letters, digits and hyphens, starting with a letter. */
export const INSTANCE_ID = /^[A-Za-z][A-Za-z0-9-]{0,62}$/;
export const instanceIdField = z
  .string()
  .regex(INSTANCE_ID, 'must be an RDS DB instance identifier (letters, digits, hyphens; 1-63, starting with a letter)');

/** A calendar day `YYYY-MM-DD` that exists (2026-02-30 does not). */
export const dayField = z
  .string({
    error: (issue) => (issue.input === undefined ? 'is required, as YYYY-MM-DD' : 'must be a day as YYYY-MM-DD'),
  })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD')
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, 'is not a calendar day');
