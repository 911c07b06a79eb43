/**
 * The edit that adds `@@index([fields])` to a model of schema.prisma, from the schema's text: the
 * line goes before the model's closing `}`, indented as its fields, a blank line after the fields
 * (prisma format's layout). None when an index, `@id` or unique constraint already starts with the
 * fields, or the model is not in the text.
 */
import type { Edit } from '../../engine/finding';
import { blockAttributeFields } from './relation-keys';

const MODEL_START = /^\s*model\s+(\w+)\s*\{/;
const FIELD = /^(\s*)(\w+)\s+\w+/;

export function prismaIndexEdit(text: string, model: string, fields: readonly string[]): Edit | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let inside = false;
  let indent = '  ';
  let prevLine = '';
  const keys: string[][] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    const lineStart = offset;
    offset += raw.length + 1;
    const code = raw.replace(/\r$/, '').replace(/\/\/.*$/, '');
    if (!inside) {
      inside = MODEL_START.exec(code)?.[1] === model;
      continue;
    }
    if (/^\s*\}/.test(code)) {
      if (keys.some((k) => fields.every((f, i) => k[i] === f))) return undefined;
      const gap = /^\s*(@@|$)/.test(prevLine) ? '' : eol;
      return { start: lineStart, end: lineStart, newText: `${gap}${indent}@@index([${fields.join(', ')}])${eol}` };
    }
    prevLine = code;
    const block = blockAttributeFields(code);
    if (block) {
      keys.push(block);
      continue;
    }
    const f = FIELD.exec(code);
    if (!f) continue;
    indent = f[1] || indent;
    if (/@(id|unique)\b/.test(code)) keys.push([f[2]]);
  }
  return undefined;
}
