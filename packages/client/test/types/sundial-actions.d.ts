// The actions of a Sundial install and their args, for @sundial/client: written by `sundial client-types`.
// Write it again when the install's actions change; edits here are lost.
import '@sundial/client';

declare namespace ExamplesImportRecords {
  /**
   * Imports the records a (simulated) remote source changed since the last successful run; everything the first time.
   */
  export interface Args {
    /**
     * Name of the source (a label in this example)
     */
    source?: string;
    /**
     * The simulated source changes a record this often
     */
    everyMinutes?: number;
    /**
     * Import records modified up to this instant (ISO 8601); default: now
     */
    until?: string;
    /**
     * Records fetched per request
     */
    batchSize?: number;
    /**
     * Simulated latency of each request
     */
    batchDelayMs?: number;
  }
}

declare namespace ExamplesNoop {
  /**
   * Does nothing and returns null. For benchmarks; optionally writes a few log lines.
   */
  export interface Args {
    /**
     * Log lines to write before returning
     */
    logLines?: number;
  }
}

declare namespace ExamplesRecommend {
  /**
   * Recommends a book to each user from their favouriteGenre and locale attributes, with a fallback.
   */
  export interface Args {
    /**
     * Genre for users without a known favouriteGenre
     */
    fallbackGenre?: 'fantasy' | 'mystery' | 'science-fiction' | 'classics';
  }
}

declare namespace ExamplesReminder {
  /**
   * Sends each targeted user a reminder built from a template with their name (logs what it would send).
   */
  export interface Args {
    /**
     * Reminder text; {{firstName}}, {{name}}, {{email}} and {{attributes.NAME}} are replaced for each user
     */
    message: string;
    /**
     * Where to send it
     */
    channel?: 'email' | 'chat';
  }
}

declare namespace HttpRequest {
  export type _Schema0 =
    | string
    | number
    | boolean
    | null
    | _Schema0[]
    | {
        [k: string]: _Schema0 | undefined;
      };

  /**
   * Makes one HTTP request and stores the answer (status, headers, body up to a cap) as the run's output. Refuses private, loopback and metadata addresses unless builtin.http.allow_hosts allows them; header secrets come from the environment as {{secret:NAME}}.
   */
  export interface Args {
    /**
     * HTTP method.
     */
    method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
    /**
     * The URL to request.
     */
    url: string;
    /**
     * Request headers. Credentials go in as {{secret:NAME}}, read from the environment variable SUNDIAL_SECRET_NAME.
     */
    headers?: {
      [k: string]: string | undefined;
    };
    /**
     * Request body: any JSON value, or text.
     */
    body?:
      | string
      | number
      | boolean
      | null
      | _Schema0[]
      | {
          [k: string]: _Schema0 | undefined;
        };
    /**
     * How to send body: json (application/json) or text (text/plain). Default: text for a string, json otherwise.
     */
    bodyType?: 'json' | 'text';
    /**
     * Status code(s) that count as success. Default: any 2xx.
     */
    expectStatus?: number | [number, ...number[]];
    /**
     * Give up after this many milliseconds (redirects and body included).
     */
    timeoutMs?: number;
    /**
     * Redirects to follow (at most 5); 0 returns the redirect itself.
     */
    followRedirects?: number;
  }
}

declare namespace NotifyUsers {
  /**
   * Renders a message for each target user (name, e-mail, attributes) and stores it in their in-app inbox or POSTs it to their own webhook URL (an attribute). Best with per_user on: one child run per user.
   */
  export interface Args {
    /**
     * Subject line (a template). Placeholders: {{id}}, {{name}}, {{firstName}}, {{email}}, {{run.id}}, {{run.jobId}}, {{run.trigger}}, {{run.attempt}}, {{run.scheduledFor}}, {{run.since}}, {{now}}, {{attributes.NAME}}.
     */
    subject: string;
    /**
     * Message text (a template). Placeholders: {{id}}, {{name}}, {{firstName}}, {{email}}, {{run.id}}, {{run.jobId}}, {{run.trigger}}, {{run.attempt}}, {{run.scheduledFor}}, {{run.since}}, {{now}}, {{attributes.NAME}}.
     */
    message: string;
    /**
     * inbox: the user's in-app inbox; webhook: a JSON POST to the URL in the user's attribute.
     */
    channel?: 'inbox' | 'webhook';
    /**
     * For channel webhook: the user attribute that holds the URL.
     */
    webhookAttribute?: string;
    /**
     * For channel webhook: give up on one user after this many milliseconds.
     */
    timeoutMs?: number;
  }
}

declare namespace SundialCleanup {
  /**
   * Deletes runs and their log lines that finished more than a retention period ago (builtin.cleanup.retention_days), in small batches. Runs still queued or running are never deleted.
   */
  export interface Args {
    /**
     * Delete runs that finished more than this many days ago. Default: builtin.cleanup.retention_days (30).
     */
    olderThanDays?: number;
  }
}

declare module '@sundial/client' {
  interface SundialActions {
    "examples.import-records": ExamplesImportRecords.Args;
    "examples.noop": ExamplesNoop.Args;
    "examples.recommend": ExamplesRecommend.Args;
    "examples.reminder": ExamplesReminder.Args;
    "http.request": HttpRequest.Args;
    "notify.users": NotifyUsers.Args;
    "sundial.cleanup": SundialCleanup.Args;
  }
}
