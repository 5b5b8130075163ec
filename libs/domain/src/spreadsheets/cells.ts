/**
 * What every file keydesk writes or reads agrees on, whichever way it goes: how a cell is
 * written safely, how a moment reads in the bureau's time zone, how a download is named.
 */

/** The bureau's clock: exported times and file names read as Beijing time, whatever the server's zone. */
export const SPREADSHEET_TIME_ZONE = 'Asia/Shanghai';

/** Characters that make Excel or LibreOffice read a cell as a formula (and run it). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that spreadsheet programs show and never evaluate: one that starts like a formula
 * gets a leading apostrophe (the OWASP advice for CSV injection), in CSV and in xlsx alike.
 */
export function safeText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const dateTimeParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: SPREADSHEET_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function parts(moment: Date): Record<string, string> {
  return Object.fromEntries(dateTimeParts.formatToParts(moment).map((part) => [part.type, part.value]));
}

/** `YYYY-MM-DD HH:mm` in Beijing time, as the screens show it. */
export function beijingDateTime(moment: Date): string {
  const p = parts(moment);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** `YYYY-MM-DD` in Beijing time. */
export function beijingDate(moment: Date): string {
  const p = parts(moment);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `YYYYMMDD-HHmm` in Beijing time, for file names. */
export function fileStamp(moment: Date): string {
  const p = parts(moment);
  return `${p.year}${p.month}${p.day}-${p.hour}${p.minute}`;
}

/**
 * A `Content-Disposition: attachment` header for a Chinese file name: an ASCII fallback for old
 * clients and the UTF-8 name (RFC 6266 / RFC 5987) that every current browser uses.
 */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
