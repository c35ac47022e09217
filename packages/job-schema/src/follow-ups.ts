// A job's follow-ups (chains): "when a run of this job ends as <on>, start job B", with B's args overridden from the
// ended run by a small mapping. The fields and their value rules, shared by the server (services/chains.ts, which
// adds what needs the install: that B exists, no cycle, the paths' syntax, B's action schema), the GraphQL input,
// the definitions file (which names B by key instead of id) and the web form.
import { z } from 'zod';

/** The database's FollowUpOn values (prisma/schema.prisma). FAILED also covers INTERRUPTED; ANY: every ending but SKIPPED. */
export const followUpOns = ['SUCCEEDED', 'PARTIALLY_SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'ANY'] as const;

export const FOLLOW_UP_LIMITS = { followUps: 20, args: 50, path: 500, template: 2000 } as const;

/** Paths read the ended run as {output, args, run: {id, jobId, status}}. */
export const PATH_ROOTS = ['output', 'args', 'run'] as const;

const pathRule = new RegExp(`^\\$\\.(${PATH_ROOTS.join('|')})(?![A-Za-z0-9_])`);
const pathMessage = `must be a JSON path starting with ${PATH_ROOTS.map((root) => `$.${root}`).join(', ')}, e.g. $.output.rows[0].id`;

/** A path into the ended run: PostgreSQL's SQL/JSON path language (lax), over {output, args, run}. */
export const followUpPath = z
  .string({ error: pathMessage })
  .trim()
  .max(FOLLOW_UP_LIMITS.path, { error: `must be at most ${FOLLOW_UP_LIMITS.path} characters` })
  .regex(pathRule, { error: pathMessage });

/** `{{ path }}` holes of a template. */
const HOLE = /\{\{\s*(.*?)\s*\}\}/g;

export type TemplatePart = { text: string } | { path: string };

/** A template as text and holes, in order; the holes' paths as written (judged by `followUpPath`). */
export function templateParts(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(HOLE)) {
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    parts.push({ path: match[1] ?? '' });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  return parts;
}

/** One arg of the follow-up's run: from a path, a literal value, or a template (text with {{ path }} holes). */
export const followUpArgSchema = z
  .strictObject({
    arg: z.string({ error: "must be the name of an arg of the follow-up job's action" }).trim().min(1, { error: 'is required' }),
    path: followUpPath.optional(),
    value: z.unknown().optional(),
    template: z
      .string({ error: 'must be text with {{ path }} holes, e.g. "rows: {{ $.output.count }}"' })
      .min(1, { error: 'must not be empty' })
      .max(FOLLOW_UP_LIMITS.template, { error: `must be at most ${FOLLOW_UP_LIMITS.template} characters` })
      .optional(),
  })
  .superRefine((entry, context) => {
    const given = (['path', 'value', 'template'] as const).filter((key) => key in entry && entry[key] !== undefined);
    if (given.length !== 1) {
      context.addIssue({ code: 'custom', path: [], message: `needs exactly one of path, value, template (given: ${given.join(', ') || 'none'})` });
    }
    if (entry.template !== undefined) {
      templateParts(entry.template).forEach((part) => {
        if ('path' in part && !followUpPath.safeParse(part.path).success) {
          context.addIssue({ code: 'custom', path: ['template'], message: `the hole {{ ${part.path} }} ${pathMessage}` });
        }
      });
    }
  });

/** A follow-up as the API takes it: the job to start by id. */
export const followUpSchema = z.strictObject({
  jobId: z.string({ error: 'must be a job id' }).min(1, { error: 'is required' }),
  on: z.enum(followUpOns, { error: `must be one of ${followUpOns.join(', ')}` }),
  args: z
    .array(followUpArgSchema, { error: 'must be a list of {arg, path | value | template}' })
    .max(FOLLOW_UP_LIMITS.args, { error: `must have at most ${FOLLOW_UP_LIMITS.args} entries` })
    .optional(),
});

export const followUpsSchema = z
  .array(followUpSchema, { error: 'must be a list of follow-ups {jobId, on, args}' })
  .max(FOLLOW_UP_LIMITS.followUps, { error: `must have at most ${FOLLOW_UP_LIMITS.followUps} follow-ups` });

export type FollowUpInput = z.input<typeof followUpSchema>;
export type FollowUpArgInput = z.input<typeof followUpArgSchema>;
export type FollowUpOn = (typeof followUpOns)[number];
