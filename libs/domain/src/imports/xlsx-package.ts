import { Readable } from 'node:stream';
import { crc32, createInflateRaw } from 'node:zlib';
import { SaxesParser } from 'saxes';
import { FileTooLargeError } from './import-errors';
import {
  INFLATE_RATIO_GRACE_BYTES,
  MAX_INFLATE_RATIO,
  MAX_PACKAGE_PART_BYTES,
  MAX_SHARED_STRINGS,
  MAX_SHARED_STRINGS_BYTES,
  MAX_SHEET_ROWS,
  MAX_XLSX_XML_BYTES,
} from './import-limits';

/** A part of the package, as stored: its compressed bytes and the CRC of its content. */
interface StoredPart {
  name: string;
  deflated: boolean;
  data: Buffer;
  crc: number;
}

/** A part as inflated: its true size, counted, whatever the zip's headers say. */
interface MeasuredPart extends StoredPart {
  size: number;
}

/** What an .xlsx holds for an import, measured by inflating it (nothing of it is kept). */
export interface XlsxPackage {
  sheet: MeasuredPart;
  sharedStrings: MeasuredPart | null;
  /** `<row>` elements of the first sheet, blank ones included. */
  rows: number;
  /** Rows that hold at least one cell. */
  filledRows: number;
  /** The XML the reader inflates: the first sheet and the shared strings. */
  xmlBytes: number;
}

/**
 * Why a file is not a readable workbook; its text is for the log only (the person who uploaded
 * the file is told that it is damaged).
 */
export class DamagedPackageError extends Error {}

const INFLATE_CHUNK = 64 * 1024;
const SHEET_PART = 'xl/worksheets/sheet1.xml';
const SHARED_STRINGS_PART = 'xl/sharedStrings.xml';
const RELS_PART = 'xl/_rels/workbook.xml.rels';
const RELATIONSHIPS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const SPREADSHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const EMPTY_RELS = Buffer.from(
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${RELATIONSHIPS_NS}"/>`,
);
const EMPTY_SHARED_STRINGS = Buffer.from(
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${SPREADSHEET_NS}" count="0" uniqueCount="0"/>`,
);

const TOO_LARGE = '文件解压后的内容超过了导入能读取的上限，请拆分后分批导入';
const BOMB = '文件解压后的内容与文件大小极不相称（疑似压缩炸弹），无法读取；请在 Excel 中另存后重新上传';

/**
 * Looks into an .xlsx held in memory before anything parses it: finds its first tab (by the
 * workbook and its relationships, not by the order of the zip) and its shared strings, and
 * inflates both once, counting, so that a part that inflates beyond the limits (however small it
 * claims to be) is refused with a 413 before any XML is parsed. Counts the sheet's rows and the
 * shared strings on the way.
 */
export async function inspectXlsx(zip: Buffer): Promise<XlsxPackage> {
  const parts = centralDirectory(zip);
  const part = (name: string) => parts.get(name) ?? null;
  const workbook = part('xl/workbook.xml');
  const rels = part(RELS_PART);
  if (!workbook || !rels) throw new DamagedPackageError('no xl/workbook.xml or its relationships');
  const targets = relationships(await smallPart(rels));
  const firstSheet = part(firstSheetPath(await smallPart(workbook), targets));
  if (!firstSheet) throw new DamagedPackageError('the first sheet is not in the package');
  const sharedTarget = targets.find((rel) => /\/sharedStrings$/.test(rel.type))?.target;
  const sharedPart = (sharedTarget ? part(partPath(sharedTarget)) : null) ?? part(SHARED_STRINGS_PART);

  let rows = 0;
  let filledRows = 0;
  let rowHasCell = true;
  const sheetTags = new TagCounter(/<(row|c)[\s/>]/g, (tag) => {
    if (tag === 'c') {
      if (!rowHasCell) filledRows += 1;
      rowHasCell = true;
      return;
    }
    rows += 1;
    rowHasCell = false;
    if (rows > MAX_SHEET_ROWS) {
      throw new FileTooLargeError(`文件的第一个工作表超过 ${MAX_SHEET_ROWS} 行（含空行），请拆分后分批导入`);
    }
  });
  let strings = 0;
  const stringTags = new TagCounter(/<(si)[\s/>]/g, () => {
    strings += 1;
    if (strings > MAX_SHARED_STRINGS) {
      throw new FileTooLargeError(`文件中不同的文本超过 ${MAX_SHARED_STRINGS} 个，请拆分后分批导入`);
    }
  });

  const sharedStrings = sharedPart
    ? { ...sharedPart, size: await measure(sharedPart, MAX_SHARED_STRINGS_BYTES, stringTags) }
    : null;
  const sheet = {
    ...firstSheet,
    size: await measure(firstSheet, MAX_XLSX_XML_BYTES - (sharedStrings?.size ?? 0), sheetTags),
  };
  return { sheet, sharedStrings, rows, filledRows, xmlBytes: sheet.size + (sharedStrings?.size ?? 0) };
}

/**
 * The package as exceljs's streaming reader is to read it: the workbook's relationships, the
 * shared strings and the first sheet, in that order and nothing else, each stored (inflated here)
 * in chunks that end on a whole UTF-8 character. In that order the reader parses the sheet as it
 * streams (it spools a sheet that comes before the shared strings to a temporary file); whole
 * characters because it decodes each chunk on its own (a character cut in two would be garbled).
 * Should inflating fail half-way (it did not when measured, so it should not), the part is
 * finished with zero bytes, which the XML parser refuses at once, and `onError` hears why.
 */
export function xlsxReaderInput(pkg: XlsxPackage, onError: (error: unknown) => void): Readable {
  const entries = [
    fixedEntry(RELS_PART, EMPTY_RELS),
    pkg.sharedStrings
      ? inflatedEntry(SHARED_STRINGS_PART, pkg.sharedStrings)
      : fixedEntry(SHARED_STRINGS_PART, EMPTY_SHARED_STRINGS),
    inflatedEntry(SHEET_PART, pkg.sheet),
  ];
  return Readable.from(
    (async function* () {
      const directory: Buffer[] = [];
      let offset = 0;
      for (const entry of entries) {
        const name = Buffer.from(entry.name);
        const header = localHeader(name, entry.size, entry.crc);
        directory.push(directoryHeader(name, entry.size, entry.crc, offset));
        offset += header.length + entry.size;
        yield header;
        let written = 0;
        try {
          for await (const chunk of entry.content()) {
            if (written + chunk.length > entry.size) throw new DamagedPackageError(`${entry.name} grew on reading`);
            written += chunk.length;
            yield chunk;
          }
          if (written !== entry.size) throw new DamagedPackageError(`${entry.name} shrank on reading`);
        } catch (error) {
          onError(error);
          for (; written < entry.size; written += INFLATE_CHUNK) {
            yield Buffer.alloc(Math.min(INFLATE_CHUNK, entry.size - written));
          }
          return;
        }
      }
      const size = directory.reduce((sum, header) => sum + header.length, 0);
      yield Buffer.concat([...directory, endOfDirectory(entries.length, size, offset)]);
    })(),
  );
}

/** An entry of the package given to the reader: its name, size and CRC, and how to get its content. */
interface ReaderEntry {
  name: string;
  size: number;
  crc: number;
  content: () => Iterable<Buffer> | AsyncIterable<Buffer>;
}

const fixedEntry = (name: string, content: Buffer): ReaderEntry => ({
  name,
  size: content.length,
  crc: crc32(content),
  content: () => [content],
});

const inflatedEntry = (name: string, part: MeasuredPart): ReaderEntry => ({
  name,
  size: part.size,
  crc: part.crc,
  content: () => wholeCharacters(inflated(part, part.size)),
});

/** The entries of a zip held in memory, by its central directory. */
function centralDirectory(zip: Buffer): Map<string, StoredPart> {
  const END_OF_DIRECTORY = 0x06054b50;
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end === -1) throw new DamagedPackageError('no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const parts = new Map<string, StoredPart>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== 0x02014b50) throw new DamagedPackageError('bad central directory');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (parts.has(name)) throw new DamagedPackageError(`${name} twice in the package`);
    // A part stored in a way the import cannot read is as good as absent: it may not be one the import needs.
    if (flags & 1 || (method !== 0 && method !== 8) || local + 30 > zip.length) continue;
    if (zip.readUInt32LE(local) !== 0x04034b50 || compressedSize === 0xffffffff) continue;
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + compressedSize > zip.length) continue;
    parts.set(name, { name, deflated: method === 8, data: zip.subarray(start, start + compressedSize), crc });
  }
  return parts;
}

/** A part's content, inflated in chunks; past `limit` bytes, or inflating out of all proportion, a 413. */
async function* inflated(part: StoredPart, limit: number): AsyncGenerator<Buffer> {
  if (!part.deflated) {
    if (part.data.length > limit) throw new FileTooLargeError(TOO_LARGE);
    for (let at = 0; at < part.data.length; at += INFLATE_CHUNK) yield part.data.subarray(at, at + INFLATE_CHUNK);
    return;
  }
  const inflater = createInflateRaw({ chunkSize: INFLATE_CHUNK });
  inflater.end(part.data);
  let size = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw new FileTooLargeError(TOO_LARGE);
      if (size > INFLATE_RATIO_GRACE_BYTES && size > part.data.length * MAX_INFLATE_RATIO) {
        throw new FileTooLargeError(BOMB);
      }
      yield chunk;
    }
  } finally {
    inflater.destroy();
  }
}

/** Inflates a part to count its true size (and whatever `tags` counts), keeping nothing. */
async function measure(part: StoredPart, limit: number, tags: TagCounter): Promise<number> {
  let size = 0;
  for await (const chunk of inflated(part, limit)) {
    size += chunk.length;
    tags.write(chunk);
  }
  tags.end();
  return size;
}

/** A small part (the workbook, its relationships) as text. */
async function smallPart(part: StoredPart): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of inflated(part, MAX_PACKAGE_PART_BYTES)) {
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

function relationships(xml: string): Relationship[] {
  return elementsNamed(xml, 'Relationship').map((attributes) => ({
    id: attributes.Id ?? '',
    type: attributes.Type ?? '',
    target: attributes.Target ?? '',
  }));
}

/** The part of the workbook's first tab: the first `<sheet>` (they stand in `<sheets>`, in tab order), through its relationship. */
function firstSheetPath(workbookXml: string, rels: Relationship[]): string {
  const [sheet] = elementsNamed(workbookXml, 'sheet');
  if (sheet === undefined) throw new DamagedPackageError('the workbook lists no sheet');
  const id = Object.entries(sheet).find(([name]) => name.endsWith(':id'))?.[1];
  const target = rels.find((rel) => rel.id === id)?.target;
  if (!target) throw new DamagedPackageError(`no relationship ${id ?? '(none)'} for the first sheet`);
  return partPath(target);
}

/**
 * The attributes of every element of this local name, in document order, read by a real XML
 * parser (saxes, exceljs's own): linear in the input, where patterns over a hostile part could
 * backtrack for hours. Malformed XML is a damaged package.
 */
function elementsNamed(xml: string, localName: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    if ((tag.name.split(':').pop() ?? '') === localName) found.push(tag.attributes);
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    throw new DamagedPackageError(`unreadable XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  return found;
}

/** A relationship's target as a part name: relative to xl/, or absolute from the package's root. */
function partPath(target: string): string {
  const segments: string[] = target.startsWith('/') ? [] : ['xl'];
  for (const segment of target.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '' && segment !== '.') segments.push(segment);
  }
  return segments.join('/');
}

/**
 * Counts XML start tags matched by `pattern` (global; the tag's name in group 1, then one
 * character after it) in text streamed in chunks, wherever a chunk cuts a tag. Read as latin1:
 * a UTF-8 character never holds a `<`.
 */
class TagCounter {
  private tail = '';
  private static readonly LONGEST = 5; // `<row` and the character after it

  constructor(
    private readonly pattern: RegExp,
    private readonly onTag: (name: string) => void,
  ) {}

  write(chunk: Buffer): void {
    this.scan(this.tail + chunk.toString('latin1'), false);
  }

  end(): void {
    this.scan(this.tail, true);
  }

  private scan(text: string, last: boolean): void {
    // A tag starting this close to the end may be cut: it is counted with the next chunk.
    const settled = last ? text.length : Math.max(0, text.length - TagCounter.LONGEST);
    this.pattern.lastIndex = 0;
    for (let match = this.pattern.exec(text); match && match.index < settled; match = this.pattern.exec(text)) {
      this.onTag(match[1]);
    }
    this.tail = text.slice(settled);
  }
}

/** Chunks cut after a whole UTF-8 character: the bytes of a character cut in two wait for the next chunk. */
async function* wholeCharacters(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carried: Buffer | null = null;
  for await (const chunk of chunks) {
    const bytes: Buffer = carried ? Buffer.concat([carried, chunk]) : chunk;
    const whole = wholeCharacterLength(bytes);
    if (whole > 0) yield bytes.subarray(0, whole);
    carried = whole < bytes.length ? Buffer.from(bytes.subarray(whole)) : null;
  }
  if (carried) yield carried;
}

/** The length of the bytes up to the last whole UTF-8 character. */
function wholeCharacterLength(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** A stored entry's local header (no data descriptor: the size is known). */
function localHeader(name: Buffer, size: number, crc: number): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4); // version needed
  header.writeUInt16LE(0x0800, 6); // UTF-8 names
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(size, 18);
  header.writeUInt32LE(size, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name]);
}

function directoryHeader(name: Buffer, size: number, crc: number, offset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(20, 6);
  header.writeUInt16LE(0x0800, 8);
  header.writeUInt32LE(crc, 16);
  header.writeUInt32LE(size, 20);
  header.writeUInt32LE(size, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt32LE(offset, 42);
  return Buffer.concat([header, name]);
}

function endOfDirectory(entries: number, size: number, offset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries, 8);
  end.writeUInt16LE(entries, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return end;
}
