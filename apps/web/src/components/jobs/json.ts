/** Parses text that must be a JSON object; says what is wrong otherwise (for textareas validated as you type). */
export function parseJsonObject(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'Must be a JSON object, like {"key": "value"}' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
