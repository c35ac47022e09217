// Typed args per action name. An install's actions are known only to that install: `sundial client-types --out
// sundial-actions.d.ts` writes a declaration that adds them to SundialActions below, and from then on `dispatch`
// checks `args` against the action named. Without it, any action name is accepted with args of unknown shape:
// nothing pretends to know a shape it did not check.

/**
 * The install's actions by name, each with its args as the action accepts them. Empty here; filled by the
 * declaration `sundial client-types` writes (`declare module '@sundial/client' { interface SundialActions … }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface SundialActions {}

/** The names of the known actions; any string while none is declared. */
export type ActionName = keyof SundialActions extends never ? string : Extract<keyof SundialActions, string>;

/** The args of action A: its declared shape, or a JSON object when actions are not declared. */
export type ActionArgs<A extends string> = A extends keyof SundialActions ? SundialActions[A] : Record<string, unknown>;
