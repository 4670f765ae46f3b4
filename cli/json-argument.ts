/** `--input '{"a":1}'` or `--input @file.json`: JSON given inline or read from a file. */
import { readFileSync } from 'node:fs';
import { InvalidInputError } from './errors';

export function readJsonArgument(value: string, flag: string): unknown {
  const fromFile = value.startsWith('@');
  let text = value;
  if (fromFile) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new InvalidInputError(
        `${flag}: cannot read ${value.slice(1)} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const where = fromFile ? value.slice(1) : 'the value';
    throw new InvalidInputError(`${flag}: ${where} is not valid JSON (${(error as Error).message}).`);
  }
}
