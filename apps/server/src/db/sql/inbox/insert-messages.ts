// Stores messages in users' inboxes in one statement (notify.users through the action context). The run and job
// are linked when they exist (an action test's run does not); a user that does not exist fails the statement.
import type { SqlClient } from '../client.js';

const INSERT_MESSAGES = `
  INSERT INTO inbox_messages (id, user_id, run_id, job_id, subject, body)
  SELECT m.id, m.user_id, (SELECT id FROM runs WHERE id = m.run_id), (SELECT id FROM jobs WHERE id = m.job_id), m.subject, m.body
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[])
    AS m(id, user_id, run_id, job_id, subject, body)`;

export interface InboxMessageRow {
  id: string;
  userId: string;
  /** Null when the message comes from no stored run or job. */
  runId: string | null;
  jobId: string | null;
  subject: string;
  body: string;
}

export async function insertInboxMessages(sql: SqlClient, messages: readonly InboxMessageRow[]): Promise<void> {
  await sql.query(INSERT_MESSAGES, [
    messages.map((message) => message.id),
    messages.map((message) => message.userId),
    messages.map((message) => message.runId),
    messages.map((message) => message.jobId),
    messages.map((message) => message.subject),
    messages.map((message) => message.body),
  ]);
}
