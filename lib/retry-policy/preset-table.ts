/** The retry presets as the Markdown tables of docs/error-handling.md (a test keeps the doc equal to this). */
import { RETRY_CATEGORIES, RETRY_PRESETS, type RetryCategory } from './presets';
import { retryDelays, worstCaseDelaySeconds } from './worst-case';

export const PRESET_TABLE_START = '<!-- retry-presets:start (generated from lib/retry-policy; a test checks it) -->';
export const PRESET_TABLE_END = '<!-- retry-presets:end -->';

function seconds(value: number): string {
  return `${Number(value.toFixed(2))} s`;
}

export function categoryTable(): string {
  const rows = (Object.entries(RETRY_CATEGORIES) as [RetryCategory, (typeof RETRY_CATEGORIES)[RetryCategory]][]).map(
    ([category, timing]) =>
      `| \`${category}\` | ${timing.IntervalSeconds} | ${timing.BackoffRate} | ${timing.MaxAttempts} | ${timing.MaxDelaySeconds} | ${timing.JitterStrategy} | ${retryDelays(
        timing,
      )
        .map((delay) => Number(delay.toFixed(2)))
        .join(', ')} | ${seconds(worstCaseDelaySeconds(timing))} | ${seconds(worstCaseDelaySeconds(timing) / 2)} |`,
  );
  return [
    '| category | IntervalSeconds | BackoffRate | MaxAttempts | MaxDelaySeconds | JitterStrategy | wait caps per retry (s) | worst-case added delay | mean (full jitter) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

export function presetTable(): string {
  const rows = RETRY_PRESETS.map(
    (preset) =>
      `| \`${preset.name}\` | \`${preset.category}\` | ${preset.integrations.map((integration) => `\`${integration}\``).join(', ')} | ${preset.errorEquals.map((name) => `\`${name}\``).join(', ')} | ${seconds(worstCaseDelaySeconds(RETRY_CATEGORIES[preset.category]))} | ${preset.reason} |`,
  );
  return [
    '| preset | category | integrations | ErrorEquals | worst-case added delay | why |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Everything between the markers in the doc. */
export function presetTables(): string {
  return `${PRESET_TABLE_START}\n\n${categoryTable()}\n\n${presetTable()}\n\n${PRESET_TABLE_END}`;
}
