// Settling a claimed outbox row. Only the claim that made an attempt may settle it (a stale sender after a lost
// lease does not): each statement matches the attempt count the claim returned. Times are the database's clock.
import type { SqlClient } from '../client.js';

export interface DeliveryAttempt {
  id: string;
  attempts: number;
}

/** The attempt worked. */
export async function markDeliverySent(client: SqlClient, attempt: DeliveryAttempt): Promise<void> {
  await client.query(
    `UPDATE notification_deliveries SET status = 'SENT', sent_at = now(), last_error = NULL
     WHERE id = $1::uuid AND status = 'PENDING' AND attempts = $2`,
    [attempt.id, attempt.attempts],
  );
}

/** The attempt failed: try again `retryInMs` from now. */
export async function retryDeliveryLater(client: SqlClient, attempt: DeliveryAttempt, lastError: string, retryInMs: number): Promise<void> {
  await client.query(
    `UPDATE notification_deliveries SET next_attempt_at = now() + make_interval(secs => $3), last_error = $4
     WHERE id = $1::uuid AND status = 'PENDING' AND attempts = $2`,
    [attempt.id, attempt.attempts, retryInMs / 1000, lastError],
  );
}
