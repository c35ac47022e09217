// `npm run db:migrate`: apply pending migrations to the configured database and exit.
import { loadConfig } from '../config/load.js';
import { openDatabase } from '../db/database.js';

try {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const { applied, alreadyApplied } = await database.migrate();
    process.stdout.write(
      applied.length > 0
        ? `Applied ${applied.length} migration(s) to ${database.description}: ${applied.join(', ')}\n`
        : `${database.description} is up to date (${alreadyApplied} migration(s) applied)\n`,
    );
  } finally {
    await database.close();
  }
} catch (error) {
  process.stderr.write(`sundial db:migrate: ${(error as Error).message}\n`);
  process.exit(1);
}
