// Jobs as code over the API: export an install's jobs (with the users and roles they refer to) as a YAML or JSON
// document, and import one — the same DefinitionsService the CLI and sundial.yaml use, so the rules are the same.
import { ValidationError } from '../../services/errors.js';
import {
  stringifyDefinitions,
  type DefinitionsFormat,
  type DefinitionsSummary,
  type ExportResult,
  type KindChanges,
} from '../../services/definitions.js';
import { builder } from '../builder.js';
import { can, DOMAIN_ERRORS } from './common.js';

const DefinitionsFormatEnum = builder.enumType('DefinitionsFormat', {
  values: { YAML: { value: 'yaml' }, JSON: { value: 'json' } } as const,
});

const KindChangesRef = builder.objectRef<KindChanges>('DefinitionChanges').implement({
  description: 'What importing did (or, in a dry run, would do) to one kind of thing, by key, e-mail or name.',
  fields: (t) => ({
    created: t.exposeStringList('created'),
    updated: t.exposeStringList('updated'),
    unchanged: t.exposeStringList('unchanged'),
    deleted: t.exposeStringList('deleted', { description: 'Jobs only, when pruning.' }),
  }),
});

const DefinitionsSummaryRef = builder.objectRef<DefinitionsSummary>('DefinitionsSummary').implement({
  fields: (t) => ({
    dryRun: t.exposeBoolean('dryRun', { description: 'True: nothing was changed; the lists say what would have been.' }),
    calendars: t.field({ type: KindChangesRef, resolve: (summary) => summary.calendars }),
    roles: t.field({ type: KindChangesRef, resolve: (summary) => summary.roles }),
    users: t.field({ type: KindChangesRef, resolve: (summary) => summary.users }),
    jobs: t.field({ type: KindChangesRef, resolve: (summary) => summary.jobs }),
  }),
});

const GeneratedKeyRef = builder.objectRef<ExportResult['generatedKeys'][number]>('GeneratedJobKey').implement({
  description: 'A job without a key (made in the app) and the key the document gave it.',
  fields: (t) => ({ name: t.exposeString('name'), key: t.exposeString('key') }),
});

interface DefinitionsExport extends ExportResult {
  format: DefinitionsFormat;
}

const DefinitionsExportRef = builder.objectRef<DefinitionsExport>('DefinitionsExport').implement({
  fields: (t) => ({
    text: t.string({ description: 'The document, ready to save as a file.', resolve: (result) => stringifyDefinitions(result.document, result.format) }),
    format: t.field({ type: DefinitionsFormatEnum, resolve: (result) => result.format }),
    generatedKeys: t.field({
      type: [GeneratedKeyRef],
      description: 'Jobs made in the app have no key; the document names them from their name. Importing it into this same install creates copies, unless those jobs are given these keys first.',
      resolve: (result) => result.generatedKeys,
    }),
  }),
});


builder.queryField('exportDefinitions', (t) =>
  t.field({
    type: DefinitionsExportRef,
    authScopes: { permission: 'JOBS_READ' },
    description:
      "Jobs (all, or those with the given keys) with the users and roles they refer to, as a definitions document. Users' attributes only for USERS_MANAGE.",
    args: {
      format: t.arg({ type: DefinitionsFormatEnum, required: false, defaultValue: 'yaml' }),
      jobKeys: t.arg.stringList({ required: false }),
    },
    errors: { types: [ValidationError] },
    resolve: async (_root, { format, jobKeys }, context) => ({
      // Users' attributes are for USERS_MANAGE, here as on the User type.
      ...(await context.services.definitions.export({ jobKeys: jobKeys ?? undefined, userAttributes: can(context, 'USERS_MANAGE') })),
      format: format ?? 'yaml',
    }),
  }),
);

builder.mutationField('importDefinitions', (t) =>
  t.field({
    type: DefinitionsSummaryRef,
    // It can create users and roles and give permissions: only someone who could do all of that by hand.
    authScopes: (_root, _args, context) => (['JOBS_WRITE', 'USERS_MANAGE', 'ROLES_MANAGE'] as const).every((permission) => can(context, permission)),
    description:
      'Applies a definitions document (roles by name, users by e-mail, jobs by key): all of it, or — with any problem — none of it, and a ValidationError lists every problem with its path (`jobs[2].schedule.cron`).',
    args: {
      document: t.arg.string({ description: 'The document text.' }),
      format: t.arg({ type: DefinitionsFormatEnum, required: false, defaultValue: 'yaml', description: 'YAML also reads JSON.' }),
      dryRun: t.arg.boolean({ required: false, defaultValue: false, description: 'Check and report; change nothing.' }),
      prune: t.arg.boolean({ required: false, defaultValue: false, description: 'Also delete jobs that have a key but are not in the document.' }),
    },
    errors: { types: DOMAIN_ERRORS, dataField: { name: 'summary' } },
    resolve: (_root, { document, format, dryRun, prune }, context) =>
      context.services.definitions.applyText(document, format ?? 'yaml', { dryRun: dryRun ?? false, prune: prune ?? false }),
  }),
);
