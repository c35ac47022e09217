// Actions: what jobs can run. Their args JSON Schema drives the admin form; defaults show what a job inherits.
import { ENGINE_DEFAULTS, type CatalogAction } from '../../services/action-catalog.js';
import { builder } from '../builder.js';

const ActionDefaultsRef = builder.objectRef<CatalogAction['defaults']>('ActionDefaults').implement({
  description: "What a job of this action gets when it does not say: the action's own default, else the engine's.",
  fields: (t) => ({
    timeoutMs: t.int({ resolve: (defaults) => defaults.timeoutMs ?? ENGINE_DEFAULTS.timeoutMs }),
    retries: t.int({ resolve: (defaults) => defaults.retries ?? ENGINE_DEFAULTS.retries }),
    retryBackoffMs: t.int({ resolve: (defaults) => defaults.retryBackoffMs ?? ENGINE_DEFAULTS.retryBackoffMs }),
    concurrency: t.int({ resolve: (defaults) => defaults.concurrency ?? ENGINE_DEFAULTS.concurrency }),
  }),
});

export const ActionRef = builder.objectRef<CatalogAction>('Action').implement({
  description: 'A typed function this install can run (defineAction). Jobs name it by `name`.',
  authScopes: { permission: 'JOBS_READ' },
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    argsJsonSchema: t.field({
      type: 'JSON',
      description: 'JSON Schema (input side) of the args: fields with defaults are optional.',
      resolve: (action) => action.argsJsonSchema,
    }),
    defaults: t.field({ type: ActionDefaultsRef, resolve: (action) => action.defaults }),
  }),
});

builder.queryFields((t) => ({
  actions: t.field({
    type: [ActionRef],
    authScopes: { permission: 'JOBS_READ' },
    description: 'Every action this install loaded, by name.',
    resolve: (_root, _args, context) => context.actions.list(),
  }),
  action: t.field({
    type: ActionRef,
    nullable: true,
    authScopes: { permission: 'JOBS_READ' },
    args: { name: t.arg.string() },
    resolve: (_root, { name }, context) => context.actions.get(name) ?? null,
  }),
}));
