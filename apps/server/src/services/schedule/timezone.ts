/** IANA timezone names: checking what a user typed, and showing instants in a timezone. */

export const defaultTimezone = 'UTC';

// Node's ICU lists canonical names only and leaves out UTC itself; it still knows the other IANA links
// (Asia/Kolkata, Europe/Kyiv, US/Eastern), which is why those are accepted below when Intl accepts them.
const listedTimezones: readonly string[] = [...Intl.supportedValuesOf('timeZone'), defaultTimezone];
const listedSet = new Set(listedTimezones);
const listedByLowerCase = new Map(listedTimezones.map((name) => [name.toLowerCase(), name]));

// Area/Location[/Sub], each part starting with a capital letter: the shape of IANA region names.
const regionName = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)+$/;

export type TimezoneCheck = { ok: true; timezone: string } | { ok: false; message: string };

export function checkTimezone(name: string): TimezoneCheck {
  if (listedSet.has(name)) return { ok: true, timezone: name };
  const sameButCase = listedByLowerCase.get(name.toLowerCase());
  if (sameButCase !== undefined) {
    return { ok: false, message: `Unknown timezone '${name}': names are case-sensitive, did you mean '${sameButCase}'?` };
  }
  if (regionName.test(name) && intlKnows(name)) return { ok: true, timezone: name };
  const suggestions = closeTimezones(name);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
  const why = name.includes('/')
    ? `Unknown timezone '${name}'.`
    : `'${name}' is not a region timezone: use an IANA name such as 'Europe/Berlin' or 'America/New_York' (which follow daylight saving time), or 'UTC'.`;
  const allowed = name.includes('/') ? ' Use an IANA name such as \'Europe/Berlin\', or \'UTC\'.' : '';
  return { ok: false, message: `${why}${allowed}${hint}` };
}

function intlKnows(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Up to three listed names close to what was typed: the same city, or a few typos away. */
export function closeTimezones(typed: string): string[] {
  const wanted = typed.trim().toLowerCase().replace(/ /g, '_');
  if (wanted.length < 2) return [];
  // "Europe/Madird" is compared whole; "Berlin" or "new york" with the city part of each name.
  const whole = wanted.includes('/');
  const maxTypos = Math.min(3, Math.floor(wanted.length / 4));
  const scored: { name: string; typos: number }[] = [];
  for (const name of listedTimezones) {
    const lower = name.toLowerCase();
    const typos = editDistance(whole ? lower : (lower.split('/').at(-1) ?? lower), wanted);
    if (typos <= maxTypos) scored.push({ name, typos });
  }
  return scored
    .sort((a, b) => a.typos - b.typos || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((s) => s.name);
}

/** Levenshtein distance where swapping two neighbouring letters counts as one typo (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

const localFormats = new Map<string, Intl.DateTimeFormat>();

/** "2026-12-01 09:00" (seconds only when not zero; date only when the time is midnight and dateOnlyAtMidnight). */
export function formatLocal(instant: Date, timezone: string, options: { dateOnlyAtMidnight?: boolean } = {}): string {
  let format = localFormats.get(timezone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    localFormats.set(timezone, format);
  }
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${part('year')}-${part('month')}-${part('day')}`;
  const [hour, minute, second] = [part('hour'), part('minute'), part('second')];
  if (options.dateOnlyAtMidnight && hour === '00' && minute === '00' && second === '00') return date;
  return second === '00' ? `${date} ${hour}:${minute}` : `${date} ${hour}:${minute}:${second}`;
}
