import fc from 'fast-check';
import { InvalidEventPatternError } from '../../../local/events/errors';
import { matchesEventPattern, parseEventPattern } from '../../../local/events/event-pattern';

/** Parses and matches in one step, as a rule would. */
function matches(pattern: unknown, event: unknown): boolean {
  return matchesEventPattern(parseEventPattern(pattern), event);
}

function rejection(pattern: unknown): InvalidEventPatternError {
  try {
    parseEventPattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error;
    throw error;
  }
  throw new Error('expected the pattern to be rejected');
}

/** The sample event of the event-ruler README, which the EventBridge content-filtering docs use. */
const ec2Event = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

describe('documented EventBridge examples', () => {
  it('matches source, detail-type and detail.state ("Amazon EventBridge event patterns")', () => {
    // Prepare
    const pattern = {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['initializing', 'running'] },
    };
    const stopped = { ...ec2Event, detail: { ...ec2Event.detail, state: 'stopped' } };

    // Act / Assess
    expect(matches(pattern, ec2Event)).toBe(true);
    expect(matches(pattern, stopped)).toBe(false);
  });

  it('matches the "complex example with multiple matching" from content filtering', () => {
    // Prepare
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    };
    const tooMany = { ...ec2Event, detail: { ...ec2Event.detail, 'c-count': 6 } };

    // Act / Assess
    expect(matches(pattern, ec2Event)).toBe(true);
    expect(matches(pattern, tooMany)).toBe(false);
  });

  it('matches when the event array and the pattern array intersect ("Arrays in event patterns")', () => {
    // Prepare
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      ],
    };
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };

    // Act / Assess
    expect(matches(pattern, event)).toBe(true);
    expect(matches(pattern, { resources: ['arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f'] })).toBe(false);
  });

  it('keeps null and empty string apart ("Matching null values and empty strings")', () => {
    // Prepare
    const event = { detail: { eventVersion: '', responseElements: null } };

    // Act / Assess
    expect(matches({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matches({ detail: { eventVersion: [null] } }, event)).toBe(false);
    expect(matches({ detail: { responseElements: [''] } }, event)).toBe(false);
    expect(matches({ detail: { missing: [null] } }, event)).toBe(false);
  });

  it('exists:false matches a missing field and a non-leaf one ("Exists matching")', () => {
    // Prepare
    const pattern = { detail: { 'c-count': [{ exists: false }] } };

    // Act / Assess
    expect(matches(pattern, { detail: { state: 'initializing' } })).toBe(true);
    expect(matches(pattern, { detail: { state: 'initializing', 'c-count': { c1: 100 } } })).toBe(true);
    expect(matches(pattern, { detail: { 'c-count': 100 } })).toBe(false);
  });

  it('does not combine fields from different array elements (array-consistent matching)', () => {
    // Prepare
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };

    // Act / Assess
    expect(matches({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
  });
});

describe('every operator matches and refuses', () => {
  const event = {
    source: 'rds-ops.restore',
    detail: {
      state: 'RUNNING',
      table: 'orders-2026',
      file: 'backups/lib/dump.png',
      glob: 'a*b',
      count: 5,
      ratio: 0.25,
      flag: true,
      ip: '10.0.0.33',
      ip6: '2001:db8::1',
      tags: ['blue', 'prod'],
      numbers: [1, 2, 3],
      nested: { deeper: { leaf: 'yes' } },
    },
  };

  it.each([
    ['exact string', { source: ['rds-ops.restore'] }, { source: ['rds-ops.Restore'] }],
    ['exact number is type-sensitive', { detail: { count: [5] } }, { detail: { count: ['5'] } }],
    ['exact number compares numerically', { detail: { count: [5.0] } }, { detail: { count: [6] } }],
    ['exact boolean', { detail: { flag: [true] } }, { detail: { flag: ['true'] } }],
    ['prefix', { detail: { table: [{ prefix: 'orders-' }] } }, { detail: { table: [{ prefix: 'Orders-' }] } }],
    [
      'prefix equals-ignore-case',
      { detail: { table: [{ prefix: { 'equals-ignore-case': 'ORDERS' } }] } },
      { detail: { table: [{ prefix: { 'equals-ignore-case': 'users' } }] } },
    ],
    ['prefix on a number never matches', { detail: { count: [5] } }, { detail: { count: [{ prefix: '5' }] } }],
    ['suffix', { detail: { file: [{ suffix: '.png' }] } }, { detail: { file: [{ suffix: '.PNG' }] } }],
    [
      'suffix equals-ignore-case',
      { detail: { file: [{ suffix: { 'equals-ignore-case': '.PNG' } }] } },
      { detail: { file: [{ suffix: { 'equals-ignore-case': '.jpg' } }] } },
    ],
    [
      'equals-ignore-case',
      { detail: { state: [{ 'equals-ignore-case': 'running' }] } },
      { detail: { state: [{ 'equals-ignore-case': 'run' }] } },
    ],
    ['wildcard', { detail: { file: [{ wildcard: '*/lib/*.png' }] } }, { detail: { file: [{ wildcard: '*/bin/*' }] } }],
    [
      'wildcard with an escaped *',
      { detail: { glob: [{ wildcard: 'a\\*b' }] } },
      { detail: { table: [{ wildcard: 'orders\\*' }] } },
    ],
    [
      'anything-but string',
      { detail: { state: [{ 'anything-but': 'STOPPED' }] } },
      { detail: { state: [{ 'anything-but': 'RUNNING' }] } },
    ],
    [
      'anything-but number',
      { detail: { count: [{ 'anything-but': 4 }] } },
      { detail: { count: [{ 'anything-but': 5 }] } },
    ],
    [
      'anything-but list of strings',
      { detail: { state: [{ 'anything-but': ['STOPPED', 'FAILED'] }] } },
      { detail: { state: [{ 'anything-but': ['STOPPED', 'RUNNING'] }] } },
    ],
    [
      'anything-but list of numbers',
      { detail: { count: [{ 'anything-but': [100, 200] }] } },
      { detail: { count: [{ 'anything-but': [4, 5] }] } },
    ],
    [
      'anything-but prefix',
      { source: [{ 'anything-but': { prefix: 'aws.' } }] },
      { source: [{ 'anything-but': { prefix: 'rds-ops.' } }] },
    ],
    [
      'anything-but suffix',
      { detail: { file: [{ 'anything-but': { suffix: '.jpg' } }] } },
      { detail: { file: [{ 'anything-but': { suffix: '.png' } }] } },
    ],
    [
      'anything-but equals-ignore-case',
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['stopped'] } }] } },
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'running' } }] } },
    ],
    [
      'anything-but wildcard',
      { detail: { file: [{ 'anything-but': { wildcard: '*/bin/*' } }] } },
      { detail: { file: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    ],
    [
      'anything-but needs the field to exist',
      { detail: { state: [{ 'anything-but': 'x' }] } },
      { detail: { absent: [{ 'anything-but': 'x' }] } },
    ],
    [
      'numeric range',
      { detail: { count: [{ numeric: ['>', 0, '<=', 5] }] } },
      { detail: { count: [{ numeric: ['>=', 6, '<', 10] }] } },
    ],
    [
      'numeric =',
      { detail: { ratio: [{ numeric: ['=', 2.5e-1] }] } },
      { detail: { ratio: [{ numeric: ['=', 0.3] }] } },
    ],
    [
      'numeric only on numbers',
      { detail: { count: [{ numeric: ['<', 10] }] } },
      { detail: { table: [{ numeric: ['<', 10] }] } },
    ],
    ['exists true', { detail: { state: [{ exists: true }] } }, { detail: { absent: [{ exists: true }] } }],
    ['exists false', { detail: { absent: [{ exists: false }] } }, { detail: { state: [{ exists: false }] } }],
    [
      'exists true is false for an object',
      { detail: { state: [{ exists: true }] } },
      { detail: { nested: [{ exists: true }] } },
    ],
    ['cidr IPv4', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, { detail: { ip: [{ cidr: '10.0.1.0/24' }] } }],
    ['cidr IPv6', { detail: { ip6: [{ cidr: '2001:db8::/32' }] } }, { detail: { ip6: [{ cidr: '2001:db9::/32' }] } }],
    [
      'cidr never matches a non-address',
      { detail: { ip: [{ cidr: '10.0.0.33' }] } },
      { detail: { table: [{ cidr: '0.0.0.0/0' }] } },
    ],
    [
      '$or',
      { source: ['rds-ops.restore'], $or: [{ detail: { state: ['STOPPED'] } }, { detail: { count: [5] } }] },
      { $or: [{ detail: { state: ['STOPPED'] } }, { detail: { count: [6] } }] },
    ],
    ['array in the event: any element', { detail: { tags: ['prod'] } }, { detail: { tags: ['dev'] } }],
    [
      'numeric on an array element',
      { detail: { numbers: [{ numeric: ['>', 2] }] } },
      { detail: { numbers: [{ numeric: ['>', 3] }] } },
    ],
    [
      'nested fields',
      { detail: { nested: { deeper: { leaf: ['yes'] } } } },
      { detail: { nested: { deeper: { leaf: ['no'] } } } },
    ],
  ])('%s', (_name, matching, refusing) => {
    // Act
    const matched = matches(matching, event);
    const refused = matches(refusing, event);

    // Assess
    expect(matched).toBe(true);
    expect(refused).toBe(false);
  });

  it('treats an event array with anything-but as "some element is not excluded"', () => {
    // Prepare
    const pattern = { tags: [{ 'anything-but': 'blue' }] };

    // Act / Assess
    expect(matches(pattern, { tags: ['blue', 'prod'] })).toBe(true);
    expect(matches(pattern, { tags: ['blue'] })).toBe(false);
  });

  it('accepts the JSON text PutRule takes and {} (which matches every event)', () => {
    // Act
    const fromText = parseEventPattern('{"source":["rds-ops.restore"]}');
    const empty = parseEventPattern({});

    // Assess
    expect(matchesEventPattern(fromText, event)).toBe(true);
    expect(matchesEventPattern(empty, event)).toBe(true);
  });
});

describe('invalid patterns are rejected with the path and a fix', () => {
  it('names an unknown operator and where it is', () => {
    // Act
    const error = rejection({ detail: { state: [{ 'begins-with': 'RUN' }] } });

    // Assess
    expect(error).toBeInstanceOf(InvalidEventPatternError);
    expect(error.name).toBe('InvalidEventPatternError');
    expect(error.path).toBe('detail.state');
    expect(error.message).toContain('detail.state: unknown operator "begins-with"');
    expect(error.message).toContain('Use one of: prefix, suffix');
  });

  it.each([
    ['a non-numeric bound', { n: [{ numeric: ['>', 'x'] }] }, 'numeric ">" needs a number'],
    ['an unknown numeric operator', { n: [{ numeric: ['=>', 1] }] }, 'numeric operator string "=>"'],
    ['= with another condition', { n: [{ numeric: ['=', 1, '<', 2] }] }, 'cannot be combined'],
    ['an empty range', { n: [{ numeric: ['>', 5, '<', 1] }] }, 'is empty'],
    ['two lower bounds', { n: [{ numeric: ['>', 1, '>=', 2] }] }, 'two lower bounds'],
    ['an odd operand list', { n: [{ numeric: ['>', 1, '<'] }] }, 'one or two operator/number pairs'],
  ])('bad numeric: %s', (_name, pattern, problem) => {
    // Act
    const error = rejection(pattern);

    // Assess
    expect(error.path).toBe('n');
    expect(error.message).toContain(problem);
  });

  it.each([
    ['a non-array leaf', { detail: { state: 'RUNNING' } }, 'detail.state', 'write "state": ["RUNNING"]'],
    ['an empty leaf array', { source: [] }, 'source', 'empty array'],
    ['an empty nested object', { detail: {} }, 'detail', 'empty object'],
    ['a pattern that is not an object', ['source'], '', 'must be a JSON object'],
    ['JSON text that does not parse', '{"source": [', '', 'not valid JSON'],
    ['$or with one alternative', { $or: [{ a: [1] }] }, '$or', 'at least two objects'],
    ['an operator object with two keys', { a: [{ prefix: 'x', suffix: 'y' }] }, 'a', 'exactly one key'],
    ['consecutive wildcards', { a: [{ wildcard: 'a**b' }] }, 'a', 'consecutive wildcard'],
    ['a wildcard escaping a letter', { a: [{ wildcard: 'a\\b' }] }, 'a', 'escapes neither'],
    ['an invalid cidr', { ip: [{ cidr: '10.0.0.0/33' }] }, 'ip', 'not an IPv4 or IPv6 address'],
    ['a mixed anything-but list', { a: [{ 'anything-but': ['x', 1] }] }, 'a', 'only strings or only numbers'],
    ['anything-but of a boolean', { a: [{ 'anything-but': true }] }, 'a', 'anything-but takes'],
    ['a non-boolean exists', { a: [{ exists: 'yes' }] }, 'a', 'exists takes true or false'],
    ['a prefix number', { a: [{ prefix: 1 }] }, 'a', 'prefix takes a string'],
    ['a nested array value', { a: [['x']] }, 'a', 'nested array'],
    ['a bad field deep inside $or', { $or: [{ a: [1] }, { b: { c: 'x' } }] }, '$or[1].b.c', 'expected an array'],
  ])('rejects %s', (_name, pattern, path, problem) => {
    // Act
    const error = rejection(pattern);

    // Assess
    expect(error.path).toBe(path);
    expect(error.message).toContain(problem);
  });
});

describe('properties', () => {
  const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/);
  const scalar = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const { value: eventValue } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(scalar, { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  }));
  const eventArbitrary = fc.dictionary(key, eventValue, { minKeys: 1, maxKeys: 5 });

  /** A pattern that asks for values the event itself holds (the first element of each array). */
  function patternFrom(event: Record<string, unknown>): Record<string, unknown> {
    const pattern: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(event)) {
      if (Array.isArray(value)) {
        if (value.length > 0) pattern[field] = [value[0]];
      } else if (typeof value === 'object' && value !== null) {
        const nested = patternFrom(value as Record<string, unknown>);
        if (Object.keys(nested).length > 0) pattern[field] = nested;
      } else {
        pattern[field] = [value];
      }
    }
    return pattern;
  }

  it('a pattern built from an event’s own values always matches it', () => {
    fc.assert(
      fc.property(eventArbitrary, (event) => {
        // Prepare
        const pattern = parseEventPattern(patternFrom(event));

        // Act / Assess
        return matchesEventPattern(pattern, event);
      }),
    );
  });

  it('anything-but of a field’s own scalar value never matches it', () => {
    fc.assert(
      fc.property(key, fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), (field, value) => {
        // Prepare
        const pattern = parseEventPattern({ [field]: [{ 'anything-but': value }] });

        // Act / Assess
        return !matchesEventPattern(pattern, { [field]: value });
      }),
    );
  });
});
