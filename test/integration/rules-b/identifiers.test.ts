// Issue 11 point 7: every entity an output names carries its identifiers beside the internal id.
// Real GLEIF Level 1 + RR excerpts (2023-06-05): 010CMKZ3VON21WF2ZD45 is controlled by
// ZZG38T0MDR3QY1ETUA76 and reported as ultimately consolidated by 3C7474T6CDKPR9K6YT90.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../../electron/backend/api/backend';
import { callBackend } from '../../../electron/backend/api/dispatch';
import { browserHost } from '../../../electron/backend/http/host';
import { json, runCli } from '../../helpers/cli';
import { requireTools, run } from '../report/helpers';

const samples = path.resolve(__dirname, '../../../../shared/samples');
const SUBJECT = 'lei:010CMKZ3VON21WF2ZD45';
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rules-b-idents-'));
  db = path.join(dir, 'case.db');
  const r = await runCli(['import', '--db', db, path.join(samples, 'gleif-level1/lei-cdf31_goldencopy_2023-06-05_excerpt.xml'), path.join(samples, 'gleif-level2/rr-cdf21_goldencopy_2023-06-05_excerpt.xml')]);
  expect(r.code, r.stderr).toBe(0);
});

describe('identifiers beside internal ids', () => {
  it('trace --json: a script can print the LEI of every node of every chain', async () => {
    const t = json<{ nodes: Record<string, { identifiers: string[] }>; chains: { entities: number[]; entityIdentifiers: string[][] }[]; reportedUltimateParents: { identifiers: string[] }[]; subjectIdentifiers: string[] }>(
      await runCli(['trace', '--db', db, SUBJECT, '--json']),
    );
    const leis = t.chains.flatMap((c) => c.entities.map((id) => t.nodes[id]!.identifiers.find((i) => i.startsWith('lei:'))));
    expect(leis).toEqual(['lei:010CMKZ3VON21WF2ZD45', 'lei:ZZG38T0MDR3QY1ETUA76']);
    expect(t.chains[0]!.entityIdentifiers).toEqual([['lei:010CMKZ3VON21WF2ZD45'], ['lei:ZZG38T0MDR3QY1ETUA76']]);
    expect(t.reportedUltimateParents[0]!.identifiers).toEqual(['lei:3C7474T6CDKPR9K6YT90']);
    expect(t.subjectIdentifiers).toEqual(['lei:010CMKZ3VON21WF2ZD45']);
    const text = (await runCli(['trace', '--db', db, SUBJECT])).stdout;
    expect(text).toContain('ZZG38T0MDR3QY1ETUA76 (#22, lei:ZZG38T0MDR3QY1ETUA76)'.replace('#22', `#${Object.keys(t.nodes).find((k) => t.nodes[k]!.identifiers.includes('lei:ZZG38T0MDR3QY1ETUA76'))}`));
  });

  it('verdict --json: subject, ultimate parents, gaps and findings carry identifiers', async () => {
    const v = json<{ subject: { identifiers: string[] }; ultimateParents: { computed: { identifiers: string[]; chainIdentifiers: string[][] }[]; reported: { identifiers: string[]; link: { ownerIdentifiers: string[] } }[] }; gaps: { entityIdentifiers: string[] }[]; findings: { entityIds: number[]; entityIdentifiers: string[][] }[] }>(
      await runCli(['verdict', '--db', db, SUBJECT, '--json']),
    );
    expect(v.subject.identifiers).toEqual(['lei:010CMKZ3VON21WF2ZD45']);
    expect(v.ultimateParents.computed[0]!.identifiers).toEqual(['lei:ZZG38T0MDR3QY1ETUA76']);
    expect(v.ultimateParents.computed[0]!.chainIdentifiers).toEqual([['lei:010CMKZ3VON21WF2ZD45'], ['lei:ZZG38T0MDR3QY1ETUA76']]);
    expect(v.ultimateParents.reported[0]!.link.ownerIdentifiers).toEqual(['lei:3C7474T6CDKPR9K6YT90']);
    for (const g of v.gaps) expect(g.entityIdentifiers.length).toBeGreaterThan(0);
    for (const f of v.findings) expect(f.entityIdentifiers).toHaveLength(f.entityIds.length);
  });

  it('case new / list / show, in JSON and text, name the subject by its identifiers', async () => {
    const created = json<{ case: { id: string; subject: { identifiers: string[] } } }>(await runCli(['case', 'new', '--db', db, SUBJECT, '--actor', 'A. Li', '--json']));
    expect(created.case.subject.identifiers).toEqual(['lei:010CMKZ3VON21WF2ZD45']);
    const listed = json<{ cases: { subject: { identifiers: string[] } }[] }>(await runCli(['case', 'list', '--db', db, '--json']));
    expect(listed.cases.map((c) => c.subject.identifiers)).toContainEqual(['lei:010CMKZ3VON21WF2ZD45']);
    const text = (await runCli(['case', 'show', '--db', db, created.case.id])).stdout;
    expect(text).toMatch(/^subject: .*  lei:010CMKZ3VON21WF2ZD45$/m);
  });

  it('show --json and the API (entity.get, graph.neighbourhood, trace.get) carry identifiers of linked entities', async () => {
    const s = json<{ entity: { owners: { ownerIdentifiers: string[]; identifiers?: unknown }[] } }>(await runCli(['show', '--db', db, SUBJECT, '--json']));
    expect(s.entity.owners.map((o) => o.ownerIdentifiers)).toContainEqual(['lei:ZZG38T0MDR3QY1ETUA76']);
    // a link's own id is not an entity id: it gets no identifiers
    expect(s.entity.owners[0]!.identifiers).toBeUndefined();
    const backend = new Backend({ dataDir: path.join(dir, 'home'), host: browserHost(), demoDir: dir });
    try {
      const opened = await callBackend(backend, 'case.open', { path: db });
      expect(opened.ok, JSON.stringify(opened)).toBe(true);
      const g = await callBackend(backend, 'graph.neighbourhood', { ref: SUBJECT });
      const nodes = (g as unknown as { ok: true; value: { nodes: { entityId?: number; entityIdentifiers?: string[] }[] } }).value.nodes;
      expect(nodes.filter((n) => n.entityId !== undefined).every((n) => (n.entityIdentifiers ?? []).some((i) => i.startsWith('lei:')))).toBe(true);
    } finally {
      await backend.dispose();
    }
  });

  it('the signed report names the subject by its identifiers, never by an internal id', async () => {
    requireTools('pdftotext');
    const pass = path.join(dir, 'pass.txt');
    writeFileSync(pass, 'identifiers passphrase');
    const key = path.join(dir, 'me.p12');
    expect((await runCli(['identity', 'new', '--name', 'A. Investigator', '--out', key, '--passphrase-file', pass])).code).toBe(0);
    const out = path.join(dir, 'r.pdf');
    const r = await runCli(['report', '--db', db, SUBJECT, '--out', out, '--key', key, '--passphrase-file', pass]);
    expect(r.code, r.stderr).toBe(0);
    const text = run('pdftotext', ['-enc', 'UTF-8', out, '-']).stdout;
    expect(text).toContain('Subject identifiers');
    expect(text).toContain('lei:010CMKZ3VON21WF2ZD45');
    expect(text).not.toMatch(/Subject id\b/);
    expect(text).not.toMatch(/ref\. \d+/);
  });
});
