// The job's args: a form drawn from the action's JSON Schema, or raw JSON (toggle). Both edit one object, checked
// against the schema as you type; a field's problem shows once it has been left or the form submitted, and the
// server's messages for `args.<field>` appear at their field after saving. Labels are the schema's titles or the
// keys in words (the key itself beside, for the API and raw JSON); a default is a placeholder, not a value.
import { useState, type ReactNode } from 'react';
import { displayTimeZone, fromZonedInput, toZonedInput } from '../../lib/format';
import { Checkbox } from '../ui/Checkbox';
import { Input } from '../ui/Input';
import { Select } from '../ui/Select';
import { Textarea } from '../ui/Textarea';
import { argFields, argProblems, joinSentences, type ArgField } from './jsonSchema';
import { parseJsonObject } from './json';

export interface ArgsEditorProps {
  schema: unknown;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  /** The server's field errors, keyed by path (`args.message`). */
  serverErrors: Record<string, string>;
  /** The raw-JSON text is invalid: the form must not be saved. */
  onValidityChange: (valid: boolean) => void;
  /** The form was submitted: every problem shows, touched or not. */
  submitted?: boolean;
}

export function ArgsEditor({ schema, value, onChange, serverErrors, onValidityChange, submitted = false }: ArgsEditorProps) {
  const fields = argFields(schema);
  const [raw, setRaw] = useState(fields === null);
  const [text, setText] = useState(() => JSON.stringify(value, null, 2));
  const [rawProblem, setRawProblem] = useState<string | null>(null);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const touch = (name: string) => setTouched((current) => (current.has(name) ? current : new Set(current).add(name)));
  const problems = fields ? argProblems(fields, value) : {};
  const rootError = serverErrors.args;
  const labelOf = (name: string) => fields?.find((field) => field.name === name)?.label ?? name;

  const switchTo = (toRaw: boolean) => {
    if (toRaw) {
      setText(JSON.stringify(value, null, 2));
      setRawProblem(null);
    } else if (rawProblem) {
      return;
    }
    setRaw(toRaw);
  };

  const toggle = fields && (
    <button
      type="button"
      aria-pressed={raw}
      disabled={raw && Boolean(rawProblem)}
      title={raw && rawProblem ? 'Fix the JSON first' : undefined}
      onClick={() => switchTo(!raw)}
      className="rounded-md px-2 py-0.5 text-xs font-medium text-amber-700 hover:bg-amber-50 disabled:opacity-50 dark:text-amber-300 dark:hover:bg-amber-400/10"
    >
      {raw ? 'Use the form' : 'Edit as raw JSON'}
    </button>
  );

  if (raw || !fields) {
    const otherErrors = Object.entries(serverErrors).filter(([key]) => key.startsWith('args.'));
    return (
      <Textarea
        label="Args"
        aside={toggle}
        code
        rows={8}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          touch('(raw)');
          const parsed = parseJsonObject(event.target.value || '{}');
          if (parsed.ok) {
            setRawProblem(null);
            onValidityChange(true);
            onChange(parsed.value);
          } else {
            setRawProblem(parsed.message);
            onValidityChange(false);
          }
        }}
        onBlur={() => touch('(raw)')}
        error={
          rawProblem ??
          rootError ??
          (otherErrors.length > 0
            ? otherErrors.map(([key, message]) => `${labelOf(key.slice(5))} ${message}`).join('; ')
            : Object.keys(problems).length > 0 && (submitted || touched.has('(raw)'))
              ? Object.entries(problems).map(([name, message]) => `${labelOf(name)} (${name}) ${message}`).join('; ')
              : null)
        }
        help="A JSON object; its keys are the action's argument names. Checked against the action's schema as you type."
      />
    );
  }

  return (
    <fieldset className="flex flex-col gap-4">
      <div className="flex items-center justify-between">
        <legend className="sr-only">Args</legend>
        <span className="text-sm text-stone-500 dark:text-stone-400">From the action's schema; checked as you type.</span>
        {toggle}
      </div>
      {rootError && <p className="text-sm text-red-600 dark:text-red-400">{rootError}</p>}
      {fields.length === 0 && <p className="text-sm text-stone-500 dark:text-stone-400">This action takes no arguments.</p>}
      {fields.map((field) => (
        <ArgInput
          key={field.name}
          field={field}
          value={value[field.name]}
          error={serverErrors[`args.${field.name}`] ?? (submitted || touched.has(field.name) ? problems[field.name] : undefined)}
          onBlur={() => touch(field.name)}
          onChange={(next) => {
            const copy = { ...value };
            if (next === undefined) delete copy[field.name];
            else copy[field.name] = next;
            onChange(copy);
          }}
        />
      ))}
    </fieldset>
  );
}

function ArgInput({ field, value, error, onChange, onBlur }: { field: ArgField; value: unknown; error?: string; onChange: (value: unknown) => void; onBlur: () => void }) {
  const help = joinSentences([field.description, field.defaultValue !== undefined ? `Default: ${JSON.stringify(field.defaultValue)}` : null]);
  const label = (
    <>
      {field.label}
      {field.kind === 'datetime' && ` (${displayTimeZone()})`}{' '}
      <code className="ml-1 font-mono text-xs font-normal text-stone-500 dark:text-stone-400">{field.name}</code>
    </>
  );
  const shownError = error ? `${field.label} ${error}` : null;
  switch (field.kind) {
    case 'boolean':
      return <Checkbox label={label} help={help} checked={value === true || (value === undefined && field.defaultValue === true)} onChange={(event) => onChange(event.target.checked)} onBlur={onBlur} />;
    case 'datetime':
      return (
        <Input
          label={label}
          help={help}
          error={shownError}
          required={field.required}
          type="datetime-local"
          value={typeof value === 'string' ? toZonedInput(value) : ''}
          onBlur={onBlur}
          onChange={(event) => onChange(fromZonedInput(event.target.value)?.toISOString())}
        />
      );
    case 'enum':
      return (
        <Select
          label={label}
          help={help}
          error={shownError}
          required={field.required}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.target.value || undefined)}
          options={[{ value: '', label: field.defaultValue !== undefined ? `Default (${String(field.defaultValue)})` : 'Choose…' }, ...(field.options ?? []).map((option) => ({ value: option, label: option }))]}
        />
      );
    case 'number':
    case 'integer':
      return (
        <Input
          label={label}
          help={help}
          error={shownError}
          required={field.required}
          type="number"
          step={field.kind === 'integer' ? 1 : 'any'}
          min={field.minimum}
          max={field.maximum}
          placeholder={field.defaultValue !== undefined ? String(field.defaultValue) : undefined}
          value={typeof value === 'number' ? value : ''}
          onBlur={onBlur}
          onChange={(event) => onChange(event.target.value === '' ? undefined : Number(event.target.value))}
        />
      );
    case 'string':
      return (field.maxLength ?? 0) > 200 ? (
        <Textarea
          label={label}
          help={help}
          error={shownError}
          required={field.required}
          rows={3}
          value={typeof value === 'string' ? value : ''}
          placeholder={typeof field.defaultValue === 'string' ? field.defaultValue : undefined}
          onBlur={onBlur}
          onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
        />
      ) : (
        <Input
          label={label}
          help={help}
          error={shownError}
          required={field.required}
          value={typeof value === 'string' ? value : ''}
          placeholder={typeof field.defaultValue === 'string' ? field.defaultValue : undefined}
          onBlur={onBlur}
          onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
        />
      );
    default:
      return <JsonArg label={label} value={value} error={shownError} help={help} onChange={onChange} onBlur={onBlur} />;
  }
}

function JsonArg({ label, value, error, help, onChange, onBlur }: { label: ReactNode; value: unknown; error: string | null; help: string; onChange: (value: unknown) => void; onBlur: () => void }) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value));
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <Textarea
      label={label}
      code
      rows={2}
      onBlur={onBlur}
      help={joinSentences([help, `A JSON value`])}
      error={problem ?? error}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        if (event.target.value.trim() === '') {
          setProblem(null);
          onChange(undefined);
          return;
        }
        try {
          onChange(JSON.parse(event.target.value));
          setProblem(null);
        } catch {
          setProblem('Not valid JSON');
        }
      }}
    />
  );
}
