// @sundial/actions: write actions for Sundial. See docs/writing-actions.md.
export { defineAction, isAction, ActionDefinitionError } from './define.js';
export type { ActionDefinition, ActionSpec, ActionDefaults, ArgsSchema } from './define.js';
export { actionArgsJsonSchema, validateActionArgs, formatArgErrors, ActionArgsError } from './args.js';
export type { ArgError, ArgsValidation } from './args.js';
export { createActionContext, ACTION_LOG_LEVELS } from './context.js';
export type {
  ActionContext,
  ActionUser,
  ActionLogger,
  ActionLogLevel,
  ActionLogLine,
  ContextParts,
  RunInfo,
  RunTrigger,
} from './context.js';
export {
  parseTemplate,
  renderTemplate,
  runTemplateFields,
  userTemplateValues,
  templateString,
  TemplateError,
  TEMPLATE_FIELDS,
  TEMPLATE_PLACEHOLDERS_HELP,
} from './template.js';
export type { ParseTemplateOptions, TemplateField, TemplatePart, TemplateValues } from './template.js';
export type { ActionTrace, ActionSpan, SpanAttributes } from './trace.js';
export type { SundialData, SundialRuns, SundialInboxes, InboxMessage, DeletedRuns } from './sundial-data.js';
// Re-exported so an action file needs one import and uses the same zod as the SDK.
export { z } from 'zod';
