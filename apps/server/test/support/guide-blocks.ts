// Reads the fenced code blocks of the user guides in docs/, with the `<!-- guide-test: … -->` directive written
// just before each one (see test/integration/guides.test.ts for what the directives mean and how blocks run).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
export const DOCS = path.join(REPO, 'docs');

/** The guides every command of which must run. Other docs/*.md opt in by carrying a guide-test directive. */
export const GUIDES = ['getting-started.md', 'jobs.md', 'graphql.md', 'operating.md', 'writing-actions.md'] as const;

export const DIRECTIVE_MARK = '<!-- guide-test:';

export type Directive =
  /** Not run; the reason is required. */
  | { kind: 'skip'; reason: string }
  /** A shell block whose `npm start` lines are checked by the config loader only; the reason is required. */
  | { kind: 'config-only'; reason: string }
  /** A js/ts block saved under this name in the guide's working folder, for a later shell block to run. */
  | { kind: 'file'; name: string }
  /** A shell block whose output must contain this text. */
  | { kind: 'prints'; text: string }
  /** A JSON block: args that this action must accept. */
  | { kind: 'args'; action: string }
  /** A shell block for PostgreSQL tools: run with DATABASE_URL on PostgreSQL runs, not on embedded ones. */
  | { kind: 'postgres' }
  /** Anywhere in a page: opts the page in (its blocks are then all run or marked). Changes nothing for a block. */
  | { kind: 'page' };

export interface GuideBlock {
  /** `docs/<name>.md` */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word, lower case ('' when the fence has none). */
  lang: string;
  code: string;
  directive: Directive | null;
}

const KINDS = ['skip', 'config-only', 'file', 'prints', 'args', 'postgres', 'page'] as const;
/** Directives that take nothing after their name. */
const BARE: readonly string[] = ['postgres', 'page'];

export function parseDirective(comment: string, where: string): Directive {
  const body = comment.slice(DIRECTIVE_MARK.length).replace(/-->\s*$/, '').trim();
  const match = /^([a-z-]+)\s*:?\s*([\s\S]*)$/.exec(body);
  const kind = match?.[1] as (typeof KINDS)[number] | undefined;
  const rest = (match?.[2] ?? '').trim();
  if (!kind || !KINDS.includes(kind)) throw new Error(`${where}: unknown guide-test directive "${body}"; known: ${KINDS.join(', ')}`);
  if (kind === 'postgres' || kind === 'page') return { kind };
  if (rest === '' && !BARE.includes(kind)) throw new Error(`${where}: the guide-test directive "${kind}" needs ${kind === 'skip' || kind === 'config-only' ? 'a reason' : 'an argument'}`);
  switch (kind) {
    case 'skip':
    case 'config-only':
      return { kind, reason: rest };
    case 'file':
      return { kind, name: rest };
    case 'prints':
      return { kind, text: rest };
    case 'args':
      return { kind, action: rest };
  }
}

/** Every fenced block of a Markdown text, in order, with the directive on the last non-blank line before it. */
export function extractBlocks(markdown: string, file: string): GuideBlock[] {
  const lines = markdown.split('\n');
  const blocks: GuideBlock[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)(.*)$/.exec(lines[index]!);
    if (!open) continue;
    const [, indent, fence, lang] = open as unknown as [string, string, string, string];
    const start = index;
    const body: string[] = [];
    index += 1;
    while (index < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[index]!)) {
      // Blocks inside list items are indented: drop the fence's indentation from their lines.
      const line = lines[index]!;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
      index += 1;
    }
    if (index >= lines.length) throw new Error(`${file}:${start + 1}: the code block is never closed`);

    let before = start - 1;
    while (before >= 0 && lines[before]!.trim() === '') before -= 1;
    const previous = before >= 0 ? lines[before]!.trim() : '';
    const directive = previous.startsWith(DIRECTIVE_MARK) ? parseDirective(previous, `${file}:${before + 1}`) : null;
    blocks.push({ file, line: start + 1, lang: lang.toLowerCase(), code: body.join('\n'), directive });
  }
  return blocks;
}

/** The listed guides (which must exist) and every other docs/*.md that carries a guide-test directive. */
export function guideFiles(): string[] {
  const optedIn = fs
    .readdirSync(DOCS)
    .filter((name) => name.endsWith('.md') && !(GUIDES as readonly string[]).includes(name))
    .filter((name) => fs.readFileSync(path.join(DOCS, name), 'utf8').includes(DIRECTIVE_MARK))
    .sort();
  return [...GUIDES, ...optedIn];
}

export function readGuide(name: string): GuideBlock[] {
  return extractBlocks(fs.readFileSync(path.join(DOCS, name), 'utf8'), `docs/${name}`);
}
