/**
 * Sets `product.barcode` in one scrape line and leaves every other byte as it was, so an enriched
 * file keeps the input's line format (Python's `", "` separators, `\uXXXX` escapes, number
 * spellings such as `3.50`). A small scanner finds the value's span; JSON.parse checks the result.
 */

interface Span {
  readonly start: number;
  readonly end: number;
}

interface Member {
  readonly key: string;
  readonly keyStart: number;
  readonly value: Span;
}

export function withBarcode(line: string, barcode: string | null): string {
  const value = JSON.stringify(barcode);
  try {
    const top = skipSpace(line, 0);
    const product = members(line, top).find((m) => m.key === 'product');
    if (product && line[product.value.start] === '{') {
      const inner = members(line, product.value.start);
      const current = inner.find((m) => m.key === 'barcode');
      let result: string;
      if (current) {
        result = line.slice(0, current.value.start) + value + line.slice(current.value.end);
      } else {
        const first = inner[0];
        const at = skipSpace(line, product.value.start + 1);
        if (first) {
          const colon = line.slice(first.keyStart + JSON.stringify(first.key).length, first.value.start);
          const comma = separatorAfter(line, first.value.end);
          result = `${line.slice(0, at)}"barcode"${colon.trim() === ':' ? colon : ': '}${value}${comma}${line.slice(at)}`;
        } else {
          result = `${line.slice(0, at)}"barcode": ${value}${line.slice(at)}`;
        }
      }
      if ((JSON.parse(result) as { product: { barcode: unknown } }).product.barcode === barcode) return result;
    }
  } catch {
    // fall through to the plain rewrite below
  }
  const record = JSON.parse(line) as { product: Record<string, unknown> };
  record.product.barcode = barcode;
  return JSON.stringify(record);
}

/** `, ` or `,` as the line writes it between members (what follows a value up to the next key). */
function separatorAfter(text: string, end: number): string {
  const match = /^\s*,\s*/.exec(text.slice(end));
  return match ? match[0] : ', ';
}

/** The members of the object starting at `open` (which must be `{`). */
function members(text: string, open: number): Member[] {
  if (text[open] !== '{') throw new Error('not an object');
  const found: Member[] = [];
  let i = skipSpace(text, open + 1);
  if (text[i] === '}') return found;
  for (;;) {
    const keyStart = i;
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':') throw new Error('expected a colon');
    const start = skipSpace(text, i + 1);
    const end = skipValue(text, start);
    found.push({ key, keyStart, value: { start, end } });
    i = skipSpace(text, end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
    else if (text[i] === '}') return found;
    else throw new Error('expected , or }');
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}

function skipString(text: string, i: number): number {
  if (text[i] !== '"') throw new Error('expected a string');
  for (i++; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  throw new Error('unterminated string');
}

function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (; i < text.length; i++) {
      const d = text[i];
      if (d === '"') i = skipString(text, i) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    throw new Error('unterminated value');
  }
  const match = /^[^,}\]\s]+/.exec(text.slice(i, i + 64));
  if (!match) throw new Error('expected a value');
  return i + match[0].length;
}
