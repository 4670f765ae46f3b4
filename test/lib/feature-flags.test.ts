import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';

/**
 * `cdk.json` carries every feature flag aws-cdk-lib recommends (what `cdk init` writes), so synth prints no
 * "feature flags are not configured" notice and a CDK upgrade that adds flags fails here until they are reviewed.
 */
const context = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context as Record<
  string,
  unknown
>;

/** Flags deliberately set to something other than the recommendation, with the reason. */
const DEVIATIONS: Readonly<Record<string, { readonly value: unknown; readonly reason: string }>> = {
  '@aws-cdk/core:defaultCrossStackReferences': {
    value: 'strong',
    reason:
      'Fn::ImportValue keeps a table a workflow still uses from being removed from the data stack; deployed ' +
      'stacks could only move to "weak" through "both" in two deployments (docs/architecture.md).',
  },
};

describe('cdk.json feature flags', () => {
  const recommended = Object.entries(CURRENTLY_RECOMMENDED_FLAGS);

  it('knows the recommendations of the installed aws-cdk-lib', () => {
    expect(recommended.length).toBeGreaterThan(80);
  });

  it('configures every recommended flag (no "flags are not configured" notice)', () => {
    const missing = recommended.map(([flag]) => flag).filter((flag) => !(flag in context));
    expect(missing).toEqual([]);
  });

  it('uses the recommended value of each, except the deviations written down here', () => {
    const differing = recommended
      .filter(([flag, value]) => JSON.stringify(context[flag]) !== JSON.stringify(value))
      .map(([flag]) => flag);
    expect(differing).toEqual(Object.keys(DEVIATIONS));
    for (const [flag, { value }] of Object.entries(DEVIATIONS)) expect(context[flag]).toEqual(value);
  });
});
