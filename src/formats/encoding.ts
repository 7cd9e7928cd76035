/**
 * What kind of file the bytes are: XLSX (zip), CSV text in UTF-8 (with or
 * without BOM) or GB18030/GBK — or a file-level fault (empty, binary, old
 * .xls, undecodable). Pure.
 */
import iconv from 'iconv-lite';
import { BinkuError } from '../domain/errors.ts';

export type TextEncoding = 'utf8' | 'gb18030';
export type Sniffed = { format: 'xlsx' } | { format: 'csv'; encoding: TextEncoding; bom: boolean };

const fault = (code: string, message: string, en: string): BinkuError => new BinkuError(code, message, { status: 422, en });

export const emptyFileError = (): BinkuError => fault('BK_IMPORT_EMPTY', '文件是空的', 'empty file');

/** Drops an incomplete UTF-8 sequence at the end of a prefix so validation is fair. */
function trimIncompleteUtf8(b: Uint8Array): Uint8Array {
  let i = b.length - 1;
  let back = 0;
  while (i >= 0 && back < 4 && (b[i] & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < 0) return b;
  const lead = b[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > back + 1 ? b.subarray(0, i) : b;
}

/**
 * Inspects the first bytes of a file (`complete` when that is the whole file).
 * Throws BK_IMPORT_EMPTY / BK_IMPORT_BINARY / BK_IMPORT_XLS_UNSUPPORTED / BK_IMPORT_UNDECODABLE.
 */
export function sniff(head: Uint8Array, complete: boolean): Sniffed {
  if (head.length === 0) throw emptyFileError();
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return { format: 'xlsx' };
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw fault('BK_IMPORT_XLS_UNSUPPORTED', '不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV 后再导入', 'legacy .xls is not supported');
  }
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const body = bom ? head.subarray(3) : head;
  if (body.length === 0 || /^[\s,;\t]*$/.test(Buffer.from(body.subarray(0, 4096)).toString('latin1'))) {
    if (complete || body.length === 0) throw emptyFileError();
  }
  let ctrl = 0;
  const n = Math.min(body.length, 8192);
  for (let i = 0; i < n; i++) {
    const c = body[i];
    if (c === 0) throw fault('BK_IMPORT_BINARY', '文件是二进制文件，不是 CSV 或 XLSX 表格', 'binary file, not CSV or XLSX');
    if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) ctrl++;
  }
  if (ctrl > n * 0.01) throw fault('BK_IMPORT_BINARY', '文件是二进制文件，不是 CSV 或 XLSX 表格', 'binary file, not CSV or XLSX');
  if (bom) return { format: 'csv', encoding: 'utf8', bom: true };
  const probe = complete ? body : trimIncompleteUtf8(body);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(probe);
    return { format: 'csv', encoding: 'utf8', bom: false };
  } catch {
    // not UTF-8: try GB18030 (a superset of GBK/GB2312)
  }
  const text = iconv.decode(Buffer.from(probe), 'gb18030');
  let bad = 0;
  for (const ch of text) if (ch === '\ufffd') bad++;
  if (bad > Math.max(2, text.length * 0.002)) {
    throw fault('BK_IMPORT_UNDECODABLE', '文件编码无法识别（既不是 UTF-8 也不是 GB18030/GBK）', 'text is neither UTF-8 nor GB18030');
  }
  return { format: 'csv', encoding: 'gb18030', bom: false };
}

/** A streaming decoder for the sniffed encoding; invalid UTF-8 later in the file is a fault. */
export function makeDecoder(encoding: TextEncoding): { write(chunk: Uint8Array): string; end(): string } {
  if (encoding === 'gb18030') {
    const d = iconv.getDecoder('gb18030');
    return { write: (c) => d.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength)), end: () => d.end() ?? '' };
  }
  const d = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const wrap = (f: () => string): string => {
    try {
      return f();
    } catch {
      throw fault('BK_IMPORT_UNDECODABLE', '文件中途出现无效的 UTF-8 编码（文件可能混用了 GBK 编码或已损坏）', 'invalid UTF-8 in the middle of the file');
    }
  };
  return { write: (c) => wrap(() => d.decode(c, { stream: true })), end: () => wrap(() => d.decode()) };
}

/** Whether a zip file's tail holds the end-of-central-directory record (a truncated XLSX does not). */
export function zipTailComplete(tail: Uint8Array): boolean {
  for (let i = tail.length - 22; i >= 0 && i >= tail.length - 65_557; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) return true;
  }
  return false;
}
