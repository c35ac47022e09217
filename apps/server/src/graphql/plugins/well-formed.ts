// Text must be well-formed UTF-16 to be stored as it was sent: a lone surrogate (`"\ud800"` in JSON or in a GraphQL
// string literal) has no UTF-8 form, so the database would silently store U+FFFD instead. Mutation arguments with
// one are refused with a field error before the mutation runs.
import { ValidationError, type FieldError } from '../../services/errors.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function check(value: unknown, path: string, found: FieldError[]): void {
  if (found.length >= 10) return;
  if (typeof value === 'string') {
    const at = value.search(LONE_SURROGATE);
    if (at >= 0) {
      const unit = value.charCodeAt(at).toString(16).toUpperCase();
      found.push({ field: path, message: `is not well-formed text: a lone UTF-16 surrogate (U+${unit}) at character ${at + 1}; send valid Unicode` });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => check(item, `${path}.${index}`, found));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (LONE_SURROGATE.test(key)) found.push({ field, message: 'is a key that is not well-formed text (a lone UTF-16 surrogate)' });
      else check(item, field, found);
    }
  }
}

/** Throws a ValidationError naming each argument (`name`, `args.headers.X`) that holds a lone surrogate. */
export function refuseIllFormedText(args: Record<string, unknown>): void {
  const found: FieldError[] = [];
  // Fields are named as the domain names them: without the `input.` wrapper most mutations take.
  for (const [name, value] of Object.entries(args)) check(value, name === 'input' ? '' : name, found);
  if (found.length > 0) throw new ValidationError(found);
}
