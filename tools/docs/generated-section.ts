/**
 * Generated sections inside hand-written Markdown: the text between `<!-- generated:start <id> ... -->` and
 * `<!-- generated:end <id> -->` belongs to the generator, everything outside it to people.
 */

export const REGENERATE_COMMAND = 'npm run docs';

export function generatedStart(id: string): string {
  return `<!-- generated:start ${id} (${REGENERATE_COMMAND}; edit outside these markers) -->`;
}

export function generatedEnd(id: string): string {
  return `<!-- generated:end ${id} -->`;
}

/** The whole block, markers included, for a new document or one that has no such section yet. */
export function generatedBlock(id: string, content: string): string {
  return `${generatedStart(id)}\n${content.trim()}\n${generatedEnd(id)}`;
}

/**
 * Replaces the section's content, keeping everything outside the markers. A document without the section gets
 * it appended at the end; one with a start marker but no end marker is refused (a half-deleted section would
 * swallow the prose after it).
 */
export function replaceGeneratedSection(text: string, id: string, content: string, file: string): string {
  const startPattern = new RegExp(`<!-- generated:start ${escapeRegExp(id)}\\b[^>]*-->`);
  const start = startPattern.exec(text);
  const endMarker = generatedEnd(id);
  if (!start) return `${text.trimEnd()}\n\n${generatedBlock(id, content)}\n`;
  const end = text.indexOf(endMarker, start.index);
  if (end < 0) {
    throw new Error(`${file}: "${start[0]}" has no "${endMarker}" after it; restore the end marker.`);
  }
  return `${text.slice(0, start.index)}${generatedBlock(id, content)}${text.slice(end + endMarker.length)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
