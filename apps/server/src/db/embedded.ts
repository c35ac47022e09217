// The embedded default: PostgreSQL compiled to WASM (PGlite), persisted in a folder and served on loopback
// with pglite-socket, so Prisma and Agenda speak plain pg to it exactly as to a real server.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { keepBatchesTogether } from './pglite-batches.js';

export interface EmbeddedPostgres {
  url: string;
  close(): Promise<void>;
}

/** Another live process serves this data folder. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

export interface EmbeddedOptions {
  /** A folder for the data, or null for an in-memory database (tests). */
  dataDir: string | null;
  /** Sockets the server accepts; every pool that connects must fit in it (more gives ECONNRESET). */
  maxConnections: number;
}

export async function startEmbeddedPostgres({ dataDir, maxConnections }: EmbeddedOptions): Promise<EmbeddedPostgres> {
  let releaseLock = () => {};
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(dataDir);
  }
  try {
    const db = await PGlite.create(dataDir ? { dataDir: path.resolve(dataDir) } : {});
    const server = new PGLiteSocketServer({ db: keepBatchesTogether(db), host: '127.0.0.1', port: 0, maxConnections });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
    return {
      url,
      async close() {
        await server.stop();
        await db.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * PGlite is single-process: two servers on one folder would corrupt it. A lock file holding the owner's pid
 * refuses the second one; a lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'sundial.lock');
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number(fs.readFileSync(lockFile, 'utf8'));
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new DataDirInUseError(
        `database.data_dir ${path.resolve(dataDir)} is in use by process ${owner}; stop it, or set database.data_dir to another folder`,
      );
    }
    fs.writeFileSync(lockFile, String(process.pid));
  }
  return () => fs.rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
