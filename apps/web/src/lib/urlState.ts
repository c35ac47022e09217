// A list page's URL state (filters, order), parsed by one zod schema per page instead of cast: a value the page
// does not know (a typo, an old link, a hand-edited URL) falls back to the field's default instead of reaching the
// server. `update` writes changes back, dropping empty and default values so shared URLs stay short.
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { z } from 'zod';
import { useDebounced } from './useDebounced';

/** A URL parameter that must be one of `values`; anything else (or nothing) is `fallback`. */
export function urlEnum<T extends string, F extends string>(values: readonly T[], fallback: F): z.ZodType<T | F> {
  const known = (value: unknown): value is T => typeof value === 'string' && (values as readonly string[]).includes(value);
  return z.unknown().transform((value): T | F => (known(value) ? value : fallback));
}

/** A free-text URL parameter, trimmed; '' when absent. */
export const urlText: z.ZodType<string> = z.unknown().transform((value) => (typeof value === 'string' ? value.trim() : ''));

/** A URL parameter matching `pattern` (an id, a datetime-local value); '' otherwise. */
export function urlMatching(pattern: RegExp): z.ZodType<string> {
  return z.unknown().transform((value) => (typeof value === 'string' && pattern.test(value.trim()) ? value.trim() : ''));
}

/** Every field of the schema read from the URL, an absent one as '' (so it takes its default). */
function readUrl<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>, search: URLSearchParams) {
  return schema.parse(Object.fromEntries(Object.keys(schema.shape).map((name) => [name, search.get(name) ?? ''])));
}

export function useUrlState<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  const state = useMemo(() => readUrl(schema, new URLSearchParams(key)), [schema, key]);
  const defaults = useMemo(() => readUrl(schema, new URLSearchParams()), [schema]);
  const update = (changes: Partial<Record<keyof Shape & string, string>>, { replace = false } = {}) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [name, value] of Object.entries(changes) as [string, string | undefined][]) {
          if (!value || value === (defaults as Record<string, unknown>)[name]) next.delete(name);
          else next.set(name, value);
        }
        return next;
      },
      { replace },
    );
  return [state, update, setParams] as const;
}

/**
 * A text filter typed into a box and kept in the URL: the box follows every keystroke, the URL (and so the query)
 * only the text settled for `ms`, trimmed. When the URL's value changes from elsewhere (Clear the filters, back and
 * forward), the box shows it.
 */
export function useUrlText(value: string, write: (text: string) => void, ms: number) {
  const [text, setText] = useState(value);
  const settled = useDebounced(text.trim(), ms);
  useEffect(() => {
    if (settled !== value) write(settled);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a newly settled text writes, not each render's new `write`
  }, [settled]);
  useEffect(() => {
    if (value !== settled) setText(value);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- follows the URL, not the typing
  }, [value]);
  return [text, setText] as const;
}
