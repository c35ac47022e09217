// One-line, levelled logs on stdout/stderr. Secrets never reach here: callers pass descriptions, not URLs.
export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevelName = 'info'): Logger {
  const write = (at: LogLevelName) => (message: string, data?: Record<string, unknown>) => {
    if (order[at] < order[level]) return;
    const suffix = data && Object.keys(data).length > 0 ? ' ' + JSON.stringify(data) : '';
    const line = `${new Date().toISOString()} ${at.toUpperCase().padEnd(5)} ${message}${suffix}\n`;
    (order[at] >= order.warn ? process.stderr : process.stdout).write(line);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
