/**
 * Lending the embedded database to other trolley processes. PGlite is one connection in one
 * process; while `trolley serve` holds it, it also serves it over the PostgreSQL wire protocol on a
 * Unix socket beside the data directory (`<dir>.socket/.s.PGSQL.5432`, readable by the owner only)
 * and says so in `<dir>.shared`. Another trolley process that finds the directory locked by a live
 * sharer connects through the socket as a PostgreSQL client instead of giving up. The socket server
 * runs one statement at a time and keeps a client's transaction together, and the serving process
 * itself goes through the same socket, so every session's transactions stay whole.
 */
import fs from 'node:fs';
import path from 'node:path';

export const SOCKET_PORT = 5432;
/** The application name of connections to a lent database: they cannot COPY, so writers insert. */
export const LENT_DATABASE_APPLICATION = 'trolley-lent-embedded';

interface Sharer {
  readonly pid: number;
  readonly socketDir: string;
  readonly since: string;
}

export function socketDirOf(dataDir: string): string {
  return `${dataDir}.socket`;
}

function sharedFile(dataDir: string): string {
  return `${dataDir}.shared`;
}

export interface Sharing {
  readonly socketDir: string;
  stop(): Promise<void>;
}

/** Serves `pglite` on the data directory's socket until stopped. */
export async function startSharing(pglite: unknown, dataDir: string): Promise<Sharing> {
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const socketDir = socketDirOf(dataDir);
  fs.mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(socketDir, 0o700);
  const socketFile = path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
  // The lock says no live process shares this directory, so a socket file here is a leftover.
  fs.rmSync(socketFile, { force: true });
  const server = new PGLiteSocketServer({ db: pglite as ConstructorParameters<typeof PGLiteSocketServer>[0]['db'], path: socketFile, maxConnections: 64 });
  await server.start();
  const sharer: Sharer = { pid: process.pid, socketDir, since: new Date().toISOString() };
  fs.writeFileSync(sharedFile(dataDir), JSON.stringify(sharer));
  let stopped = false;
  // A process that exits without closing (Ctrl-C) still takes its socket and notice away.
  const removeFiles = () => {
    try {
      if ((JSON.parse(fs.readFileSync(sharedFile(dataDir), 'utf8')) as Sharer).pid === process.pid) fs.rmSync(sharedFile(dataDir), { force: true });
    } catch {
      // Already gone.
    }
    fs.rmSync(socketFile, { force: true });
  };
  process.once('exit', removeFiles);
  return {
    socketDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', removeFiles);
      removeFiles();
      // A client still connected keeps the server from closing: stop waiting after a moment.
      await Promise.race([server.stop(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    },
  };
}

/** The socket directory of a live process sharing `dataDir`, if one does. */
export function sharedSocketOf(dataDir: string): string | undefined {
  let sharer: Sharer;
  try {
    sharer = JSON.parse(fs.readFileSync(sharedFile(dataDir), 'utf8')) as Sharer;
  } catch {
    return undefined;
  }
  if (typeof sharer.pid !== 'number' || !alive(sharer.pid)) return undefined;
  return fs.existsSync(path.join(sharer.socketDir, `.s.PGSQL.${SOCKET_PORT}`)) ? sharer.socketDir : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
