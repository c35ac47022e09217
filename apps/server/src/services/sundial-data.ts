// The server's side of what actions may do with its data (`context.sundial`, @sundial/actions' SundialData):
// delete finished runs for retention, deliver messages to inboxes. The rules are the server's — which statuses
// are final comes from run-status.ts — and the statements are db/sql's; an action never names a table.
import type { SundialData } from '@sundial/actions';
import { v7 as uuidv7 } from 'uuid';
import type { SqlClient } from '../db/sql/client.js';
import { selectExistingUserIds } from '../db/sql/inbox/existing-users.js';
import { insertInboxMessages } from '../db/sql/inbox/insert-messages.js';
import { countFinishedRuns } from '../db/sql/retention/count-finished-runs.js';
import { deleteFinishedRuns } from '../db/sql/retention/delete-finished-runs.js';
import { deleteLogLines } from '../db/sql/retention/delete-log-lines.js';
import { selectChildlessFinishedTopRuns, selectFinishedChildRuns } from '../db/sql/retention/next-finished-runs.js';
import { isUuid } from './ids.js';
import { TERMINAL_STATUSES } from './run-status.js';

/** PostgreSQL's foreign_key_violation. */
const FOREIGN_KEY_VIOLATION = '23503';

const hasCode = (error: unknown, code: string): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === code;

const uuidOrNull = (id: string | null | undefined): string | null => (id && isUuid(id) ? id : null);

export function createSundialData(sql: SqlClient): SundialData {
  return {
    runs: {
      countFinishedBefore: (cutoff) => countFinishedRuns(sql, cutoff, TERMINAL_STATUSES),
      async deleteFinishedBefore(cutoff, limits) {
        const children = await selectFinishedChildRuns(sql, cutoff, TERMINAL_STATUSES, limits.runs);
        const runIds = children.length > 0 ? children : await selectChildlessFinishedTopRuns(sql, cutoff, TERMINAL_STATUSES, limits.runs);
        if (runIds.length === 0) return { runs: 0, logLines: 0 };
        const logLines = await deleteLogLines(sql, runIds, limits.logLines);
        // A full batch of lines may leave more: the runs go in a later step, once their last lines are gone.
        if (logLines >= limits.logLines) return { runs: 0, logLines };
        return { runs: await deleteFinishedRuns(sql, runIds, TERMINAL_STATUSES), logLines };
      },
    },
    inboxes: {
      async deliver(messages) {
        const notIds = messages.map((message) => message.userId).filter((id) => !isUuid(id));
        if (notIds.length > 0) throw new Error(`no user with id ${[...new Set(notIds)].join(', ')}`);
        const rows = messages.map((message) => ({
          id: uuidv7(),
          userId: message.userId,
          runId: uuidOrNull(message.runId),
          jobId: uuidOrNull(message.jobId),
          subject: message.subject,
          body: message.body,
        }));
        try {
          await insertInboxMessages(sql, rows);
        } catch (error) {
          if (!hasCode(error, FOREIGN_KEY_VIOLATION)) throw error;
          const existing = await selectExistingUserIds(sql, rows.map((row) => row.userId));
          const missing = [...new Set(rows.map((row) => row.userId).filter((id) => !existing.has(id)))];
          if (missing.length === 0) throw error;
          throw new Error(`no user with id ${missing.join(', ')} (deleted since the run started?)`, { cause: error });
        }
        return rows.map((row) => row.id);
      },
    },
  };
}
