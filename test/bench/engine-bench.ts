// Verdict engine benchmark: whole-database screening on a generated case database (load time,
// screening rate after load) and single-subject verdict latency (50-deep chain, 10,000 owners).
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { screenAll } from '../../shared/domain/engine';
import { openCaseDb } from '../../electron/backend/store/db';
import { loadAll } from '../../electron/backend/verdict/load';
import { computeVerdict } from '../../electron/backend/verdict/verdict';
import { policyFromArgs } from '../../electron/backend/verdict/policy-input';
import { generateGraphDb, type GeneratedGraph } from './graph-generate';

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export interface EngineBenchResult {
  entities: number;
  links: number;
  loadMs: number;
  screenMs: number;
  entitiesPerSecond: number;
  totalMs: number;
  restricted: number;
  indeterminate: number;
  clear: number;
  peakRssMiB: number;
  deepChain: { medianMs: number; p95Ms: number; closure: number };
  wide: { medianMs: number; p95Ms: number; closure: number };
}

export async function benchEngine(entities: number, dir: string): Promise<EngineBenchResult> {
  const file = path.join(dir, `engine-${entities}.db`);
  const metaFile = `${file}.json`;
  let meta: GeneratedGraph;
  if (!existsSync(file) || !existsSync(metaFile)) {
    for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
    const t = performance.now();
    const db = openCaseDb(file);
    meta = generateGraphDb(db, entities);
    db.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(metaFile, JSON.stringify(meta));
    console.log(`generated ${meta.entities} entities, ${meta.links} links in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else {
    const { readFileSync } = await import('node:fs');
    meta = JSON.parse(readFileSync(metaFile, 'utf8')) as GeneratedGraph;
  }
  openCaseDb(file).close(); // a database cached by an older build is upgraded once
  const db = openCaseDb(file, { readonly: true });
  const policy = policyFromArgs(undefined);
  global.gc?.();
  const t0 = performance.now();
  const graph = await loadAll(db, { identifiers: false });
  const t1 = performance.now();
  const result = screenAll(graph, policy);
  const t2 = performance.now();
  let restricted = 0;
  let indeterminate = 0;
  for (let i = 0; i < result.verdict.length; i++) {
    if (result.verdict[i] === 2) restricted++;
    else if (result.verdict[i] === 1) indeterminate++;
  }
  // loading and screening are synchronous (a timer could not sample them): the kernel's maximum
  // resident set size of the process is the honest peak
  const peak = process.resourceUsage().maxRSS * 1024;
  const latency = (subject: number) => {
    const times: number[] = [];
    let closure = 0;
    for (let k = 0; k < 30; k++) {
      const t = performance.now();
      const r = computeVerdict(db, subject, policy);
      times.push(performance.now() - t);
      closure = r.closureSize;
    }
    return { medianMs: percentile(times, 50), p95Ms: percentile(times, 95), closure };
  };
  const deepChain = latency(meta.deepChainSubject);
  const wide = latency(meta.wideSubject);
  db.close();
  const res: EngineBenchResult = {
    entities: graph.count, links: graph.links.count, loadMs: t1 - t0, screenMs: t2 - t1,
    entitiesPerSecond: graph.count / ((t2 - t1) / 1000), totalMs: t2 - t0, restricted, indeterminate,
    clear: graph.count - restricted - indeterminate, peakRssMiB: peak / (1 << 20), deepChain, wide,
  };
  console.log(`\nVerdict engine benchmark, ${res.entities.toLocaleString('en')} entities, ${res.links.toLocaleString('en')} links (policy ${policy.name})`);
  console.log(`  load from SQLite        ${(res.loadMs / 1000).toFixed(2)} s`);
  console.log(`  screen (both methods)   ${(res.screenMs / 1000).toFixed(2)} s  = ${Math.round(res.entitiesPerSecond).toLocaleString('en')} entities/s after loading`);
  console.log(`  total                   ${(res.totalMs / 1000).toFixed(2)} s  (goal: under 10 s)`);
  console.log(`  verdicts                ${restricted.toLocaleString('en')} restricted, ${indeterminate.toLocaleString('en')} indeterminate, ${res.clear.toLocaleString('en')} clear`);
  console.log(`  peak RSS                ${res.peakRssMiB.toFixed(0)} MiB`);
  console.log(`  single verdict, 50-deep chain:  median ${deepChain.medianMs.toFixed(1)} ms, p95 ${deepChain.p95Ms.toFixed(1)} ms (closure ${deepChain.closure})`);
  console.log(`  single verdict, 10,000 owners:  median ${wide.medianMs.toFixed(1)} ms, p95 ${wide.p95Ms.toFixed(1)} ms (closure ${wide.closure})`);
  return res;
}
