// Packed unchanged confirmations (migration 012) read from a crafted case database: a pack that
// does not inflate, says it holds more than a pack can, ends inside a number, or inflates to far
// more than it could hold (a deflate bomb) is refused with a message naming the pack; nothing is
// decoded from it and the process does not run out of memory.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, runOk } from '../helpers/cli';

const G = path.resolve('test/fixtures/gleif');
const FUND = 'lei:FUND0000000000000597';

describe('crafted confirmation packs', () => {
  let base = '';
  beforeAll(async () => {
    base = path.join(mkdtempSync(path.join(tmpdir(), 'ownerscope-crafted-packs-')), 'base.db');
    await runOk(['import', '--db', base, path.join(G, 'cases-l1.xml'), path.join(G, 'cases-rr.xml')]);
    await runOk(['import', '--db', base, '--again', path.join(G, 'cases-rr.xml')]);
    const db = new Database(base, { readonly: true });
    expect((db.prepare('SELECT count(*) n FROM record_confirmations').get() as { n: number }).n).toBe(1);
    db.close();
    // the unaltered case shows the packed confirmation
    const r = await runOk(['show', FUND, '--db', base, '--json']);
    expect(r.stdout).toMatch(/"unchanged"/);
  });

  const cases: [string, (db: Database.Database) => void, RegExp][] = [
    ['not deflate data', (db) => db.prepare('UPDATE record_confirmations SET data = ?').run(Buffer.from('not a pack at all')), /does not inflate/],
    ['a count no pack can hold', (db) => db.prepare('UPDATE record_confirmations SET count = 1000000000').run(), /says it holds 1000000000 confirmations/],
    ['a pack that ends inside a number', (db) => db.prepare('UPDATE record_confirmations SET data = ?').run(deflateRawSync(Buffer.from([0x80, 0x80]))), /ends inside a number/],
    ['a deflate bomb', (db) => db.prepare('UPDATE record_confirmations SET data = ?').run(deflateRawSync(Buffer.alloc(64 * 1024 * 1024))), /does not inflate/],
  ];
  for (const [what, craft, message] of cases) {
    it(`${what}: refused, naming the pack`, async () => {
      const f = path.join(path.dirname(base), `${what.replace(/\W+/g, '-')}.db`);
      copyFileSync(base, f);
      const db = new Database(f);
      craft(db);
      db.close();
      const r = await runCli(['show', FUND, '--db', f, '--json']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/record_confirmations: the pack of statement \d+ /);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/damaged or was altered/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
