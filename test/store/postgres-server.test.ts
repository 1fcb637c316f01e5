import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { postgresBinaries, startPostgres, type PostgresServer } from '../support/postgres-server';

/** The test PostgreSQL server the PostgreSQL store's tests stand on (issue #13): real, on a free port, cleaned up. */
describe('test support: a real PostgreSQL server', function () {
  this.timeout(120_000);
  let server: PostgresServer;

  before(async function () {
    if (!postgresBinaries()) {
      console.log(`      skipped: PostgreSQL is missing; install Debian's with: apt-get install -y postgresql`);
      this.skip();
    }
    server = await startPostgres();
  });
  after(async () => {
    await server?.destroy();
  });

  const query = async (text: string, values: unknown[] = []) => {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    try {
      return await client.query(text, values);
    } finally {
      await client.end();
    }
  };

  it('serves the notary database on 127.0.0.1 at a free port', async () => {
    expect(server.url).to.match(/^postgres:\/\/notary@127\.0\.0\.1:\d+\/notary$/);
    const result = await query('SELECT current_database() AS name, current_user AS role');
    expect(result.rows[0]).to.deep.equal({ name: 'notary', role: 'notary' });
  });

  it('keeps committed rows across a crash (SIGKILL) and a restart', async () => {
    await query('CREATE TABLE IF NOT EXISTS survivors (id integer PRIMARY KEY)');
    await query('INSERT INTO survivors VALUES (1)');
    const before = server.pid;
    await server.kill();
    expect(server.pid).to.equal(undefined);
    await server.start();
    expect(server.pid).to.be.a('number').and.not.equal(before);
    const result = await query('SELECT id FROM survivors');
    expect(result.rows).to.deep.equal([{ id: 1 }]);
  });

  it('stops by its PID and removes its folder', async () => {
    const other = await startPostgres();
    const pid = other.pid!;
    expect(existsSync(other.folder)).to.equal(true);
    await other.destroy();
    expect(() => process.kill(pid, 0)).to.throw();
    expect(existsSync(other.folder)).to.equal(false);
  });

  it('is stopped and its folder removed when the run exits without destroying it', async () => {
    const script = `require('./test/support/postgres-server').startPostgres().then((s) => {
      console.log(JSON.stringify({ pid: s.pid, folder: s.folder }));
      process.exit(1); // a run that ends on a failure, its after hooks never run
    })`;
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: join(__dirname, '..', '..'), encoding: 'utf8', timeout: 60_000 });
    const { pid, folder } = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { pid: number; folder: string };
    expect(pid).to.be.a('number');
    // SIGKILL was sent as the run exited; the kernel and init take a moment to end and reap it.
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let waited = 0; alive() && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(), `the server (PID ${pid}) outlived the run`).to.equal(false);
    expect(existsSync(folder)).to.equal(false);
  });
});
