/**
 * The product's one rule for showing a point in time, used by the kit, the console and the
 * extension: the locale's own words (`Intl`), the same date shape everywhere ("Dec 7, 2026",
 * "7. Dez. 2026"), and wherever a time of day is shown, its zone too ("Dec 7, 2026, 3:17 AM UTC").
 * A date alone carries no zone. Formatters are cached per language and options; a language tag
 * `Intl` refuses falls back to English.
 */

const DAY: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(tag: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tag ?? ''} ${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(tag, options);
    } catch {
      format = new Intl.DateTimeFormat('en', options);
    }
    formats.set(key, format);
  }
  return format;
}

export interface TimeOptions {
  /** An IANA zone (the console shows server times in `UTC`); the viewer's own zone by default. */
  timeZone?: string;
  /** With seconds (delivery logs). */
  seconds?: boolean;
}

/** A date without a time of day, e.g. "Dec 7, 2026"; `undefined` language = the viewer's. */
export function formatDay(tag: string | undefined, when: string | number): string {
  return formatter(tag, DAY).format(typeof when === 'string' ? Date.parse(when) : when);
}

/** A date with its time of day and zone, e.g. "Dec 7, 2026, 3:17 AM UTC". */
export function formatTime(tag: string | undefined, when: string | number, options: TimeOptions = {}): string {
  const shape: Intl.DateTimeFormatOptions = {
    ...DAY,
    hour: 'numeric',
    minute: '2-digit',
    ...(options.seconds ? { second: '2-digit' } : {}),
    timeZoneName: 'short',
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  };
  return formatter(tag, shape).format(typeof when === 'string' ? Date.parse(when) : when);
}
