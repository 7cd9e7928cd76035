/**
 * COPY text format (PostgreSQL `COPY … FROM` text): values escaped, rows built
 * from objects. Pure, so the import's worker thread builds COPY text without
 * loading the drivers.
 */
const COPY_ESC = /[\\\t\n\r]/;
const COPY_ESC_G = /[\\\t\n\r]/g;
const COPY_REPL: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY text format (NULL = \N; objects/arrays as JSON for jsonb). */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return COPY_ESC.test(v) ? v.replace(COPY_ESC_G, (c) => COPY_REPL[c]) : v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  return copyValue(JSON.stringify(v));
}

/**
 * JSON text as a COPY value: JSON already escapes tabs and line breaks, so
 * only backslashes are doubled (no regex scan of every raw row's cell list).
 */
export function copyJson(json: string): string {
  return json.indexOf('\\') < 0 ? json : json.replaceAll('\\', '\\\\');
}

/** Rows (objects keyed by column name) → COPY text of rows[from, to) in `cols` order. */
export function copyText(cols: readonly string[], rows: readonly object[], from = 0, to = rows.length): string {
  const parts: string[] = [];
  for (let k = from; k < to; k++) {
    const o = rows[k] as Record<string, unknown>;
    let line = copyValue(o[cols[0]]);
    for (let i = 1; i < cols.length; i++) line += `\t${copyValue(o[cols[i]])}`;
    parts.push(line);
  }
  return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
}

/**
 * COPY text written straight into UTF-8 bytes, a line (or a few) at a time:
 * no rope of strings is kept until the batch is encoded — those ropes
 * outlived the young generation — and every row is encoded once.
 */
export class CopyBytes {
  private buf: Buffer;
  private pos = 0;

  constructor(capacity = 1 << 16) {
    this.buf = Buffer.allocUnsafeSlow(capacity);
  }

  get length(): number {
    return this.pos;
  }

  /** Appends COPY text (already escaped). */
  add(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (this.pos + 3 * text.length > this.buf.length) this.grow(this.pos + 3 * text.length);
    this.pos += this.buf.write(text, this.pos);
  }

  /** The bytes so far, in a buffer of their own (it may be transferred to another thread); the next ones go to a new buffer. */
  take(): Uint8Array {
    const out = new Uint8Array(this.buf.buffer, 0, this.pos);
    this.buf = Buffer.allocUnsafeSlow(Math.max(1 << 16, this.pos + (this.pos >> 3)));
    this.pos = 0;
    return out;
  }

  private grow(min: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(min, 2 * this.buf.length));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

const UNESC: Record<string, string> = { t: '\t', n: '\n', r: '\r', '\\': '\\' };

/** COPY text back to rows of values (\N = null): the INSERT fallback replays what COPY would load. */
export function copyRows(text: string): (string | null)[][] {
  if (text === '') return [];
  return text
    .slice(0, text.endsWith('\n') ? -1 : undefined)
    .split('\n')
    .map((line) => line.split('\t').map((v) => (v === '\\N' ? null : v.includes('\\') ? v.replace(/\\(.)/g, (_, c: string) => UNESC[c] ?? c) : v)));
}
