/**
 * What a well-formed item of each protected table looks like: the contract every writer keeps, checked by the
 * scheduled integrity check (a violation raises the table's integrity alarm) and by the restore validation (a
 * restored table must not bring corrupt items back). Items are plain objects as the DocumentClient reads them.
 */

export type Item = Readonly<Record<string, unknown>>;

/** The problems of one item, empty when it is well-formed. */
export type ItemRule = (item: Item) => string[];

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const text = (field: string) => (item: Item) =>
  typeof item[field] === 'string' && (item[field] as string).length > 0 ? [] : [`${field} is not a non-empty string`];

const oneOf =
  (field: string, values: readonly string[]) =>
  (item: Item): string[] =>
    typeof item[field] === 'string' && values.includes(item[field] as string)
      ? []
      : [`${field} is ${JSON.stringify(item[field])}, not one of ${values.join(', ')}`];

const time =
  (field: string, { optional = false, suffix = false } = {}) =>
  (item: Item): string[] => {
    const value = item[field];
    if (value === undefined && optional) return [];
    // audit-log `at` is `<ISO time>#<unique suffix>`.
    const candidate = typeof value === 'string' && suffix ? value.split('#')[0] : value;
    return typeof candidate === 'string' && ISO_TIME.test(candidate) && !Number.isNaN(Date.parse(candidate))
      ? []
      : [`${field} is ${JSON.stringify(value)}, not an ISO-8601 time`];
  };

const date = (field: string) => (item: Item) =>
  typeof item[field] === 'string' && DATE.test(item[field] as string)
    ? []
    : [`${field} is ${JSON.stringify(item[field])}, not a YYYY-MM-DD date`];

const amount = (field: string) => (item: Item) =>
  typeof item[field] === 'number' && Number.isFinite(item[field]) && (item[field] as number) >= 0
    ? []
    : [`${field} is ${JSON.stringify(item[field])}, not a number >= 0`];

const all =
  (...rules: ItemRule[]): ItemRule =>
  (item) =>
    rules.flatMap((rule) => rule(item));

/** The rules per table id; a table without PITR has none (nothing restores it). */
export const ITEM_RULES: Readonly<Record<string, ItemRule>> = {
  rdsInventory: all(text('instanceId'), text('engine'), text('status'), time('lastSeenAt', { optional: true })),
  healthAlerts: all(
    text('alertId'),
    text('instanceId'),
    time('raisedAt'),
    oneOf('severity', ['INFO', 'WARNING', 'CRITICAL']),
    oneOf('status', ['OPEN', 'RESOLVED']),
  ),
  auditLog: all(text('subject'), time('at', { suffix: true }), text('actor'), text('action')),
  costSnapshots: all(text('instanceId'), date('date'), amount('amount')),
  rdsApprovals: all(
    text('requestId'),
    oneOf('status', ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED']),
    time('requestedAt'),
  ),
};

export interface ItemCheck {
  readonly checked: number;
  readonly invalid: number;
  /** Up to `sampleLimit` invalid items' keys and problems, for the audit log and the operator. */
  readonly examples: readonly { readonly key: Item; readonly problems: readonly string[] }[];
}

/** Checks items against the table's rules; `keyOf` picks the key attributes for the examples. */
export function checkItems(
  tableId: string,
  items: readonly Item[],
  keyOf: (item: Item) => Item,
  sampleLimit = 5,
): ItemCheck {
  const rule = ITEM_RULES[tableId] ?? (() => []);
  let invalid = 0;
  const examples: { key: Item; problems: string[] }[] = [];
  for (const item of items) {
    const problems = rule(item);
    if (problems.length === 0) continue;
    invalid += 1;
    if (examples.length < sampleLimit) examples.push({ key: keyOf(item), problems });
  }
  return { checked: items.length, invalid, examples };
}
