// sundial.yaml's `definitions`: applied on every start, after migrations and the first admin, before the built-in
// jobs (so a document may declare `sundial.cleanup` its own way). A document with any problem stops the start-up
// with every problem listed, and nothing of it applied.
import fs from 'node:fs';
import { ConfigError, type Config } from '../../config/load.js';
import type { Logger } from '../../lib/logger.js';
import { DefinitionsService, localActor, type DefinitionsSummary, type KindChanges } from '../definitions.js';
import { ValidationError } from '../errors.js';
import { formatFromName, parseDefinitions } from './format.js';

/** The declared document, or null when sundial.yaml declares nothing. */
function declared(config: Config): { raw: unknown; source: string } | null {
  const { file, calendars, roles, users, jobs } = config.definitions;
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`definitions.file = ${JSON.stringify(file)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    const parsed = parseDefinitions(text, formatFromName(file));
    if ('error' in parsed) throw new ConfigError(`definitions.file ${file}: ${parsed.error}`);
    return { raw: parsed.raw ?? {}, source: file };
  }
  if (calendars.length === 0 && roles.length === 0 && users.length === 0 && jobs.length === 0) return null;
  return { raw: { calendars, roles, users, jobs }, source: 'definitions' };
}

/** The audit log's name for where the document came from. */
function auditSource(source: string): string {
  return source === 'definitions' ? 'sundial.yaml definitions' : source;
}

export function describeChanges(summary: DefinitionsSummary): string {
  const kind = (name: string, changes: KindChanges) =>
    `${name}: ${changes.created.length} created, ${changes.updated.length} updated, ${changes.unchanged.length} unchanged` +
    (changes.deleted.length > 0 ? `, ${changes.deleted.length} deleted` : '');
  const calendars = summary.calendars;
  const anyCalendar = calendars.created.length + calendars.updated.length + calendars.unchanged.length > 0;
  return [...(anyCalendar ? [kind('calendars', calendars)] : []), kind('roles', summary.roles), kind('users', summary.users), kind('jobs', summary.jobs)].join('; ');
}

export async function applyDeclaredDefinitions(config: Config, service: DefinitionsService, logger: Logger): Promise<void> {
  const document = declared(config);
  if (!document) return;
  try {
    const summary = await service.apply(document.raw, { prune: config.definitions.prune, actor: localActor('CONFIGURATION', auditSource(document.source)) });
    logger.info(`definitions (${document.source}): ${describeChanges(summary)}`);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // Inline entries are found under definitions.jobs[0]…, a file's under its own jobs[0]….
    const prefix = document.source === 'definitions' ? 'definitions.' : '';
    throw new ConfigError(
      `${document.source}: ${error.errors.length} problem(s), nothing was applied:\n` +
        error.errors.map((problem) => `  ${prefix}${problem.field || '(document)'}: ${problem.message}`).join('\n'),
    );
  }
}
