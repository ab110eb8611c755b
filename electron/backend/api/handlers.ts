// The backend implementation of every API method. The type of `handlers` makes the compiler
// check that each method of the contract is implemented with the right input and output.
import { removeSource } from '../import/remove-source';
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Api, Input, Method, Output } from '../../../shared/api/contract';
import type * as T from '../../../shared/api/types';
import { importFiles, detectFormats } from '../import/runner';
import { FORMATS } from '../import/registry';
import { FormatNotRecognised } from '../import/types';
import { candidatesFor, currentUser, decide, resolutionGroups, resolutionOf, resolvedEntityDetail } from '../resolve';
import { writeTurn } from '../store/concurrency';
import { withIdentifiers } from '../verdict/identifiers';
import { entityDetail, entityHits, listSources, resolveRef, searchEntities, today } from '../store/queries';
import { trace } from '../store/trace';
import type { Backend } from './backend';
import { ApiFailure } from './errors';
import { fileInside, requireRegularFile } from '../files/safe-path';
import { neighbourhood } from './graph';
import { identityHandlers, identityStatus } from './identity';
import { verdictHandlers } from './verdict';
import { caseHandlers } from './cases';
import { changeHandlers } from './changes';
import { exportHandlers } from './export';
import { assertionHandlers } from './assertions';

export type Handler<K extends Method> = (input: Input<K>, backend: Backend) => Promise<Output<K>>;
export type Handlers = { [K in Method]: Handler<K> };
export type HandlerGroup<K extends Method> = { [P in K]: Handler<P> };

import { VERSION } from './version';
export { VERSION };

function overview(b: Backend): T.CaseOverview {
  const db = b.requireDb();
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const hasCases = Boolean(db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cases'`).get());
  const top = db
    .prepare(
      `SELECT e.id, (SELECT count(*) FROM links WHERE owner_id = e.id) + (SELECT count(*) FROM links WHERE owned_id = e.id) AS n
       FROM entities e WHERE e.is_placeholder = 0 ORDER BY n DESC, e.id LIMIT 6`,
    )
    .all() as { id: number; n: number }[];
  const suggestions = top.flatMap((t) => {
    const d = entityDetail(db, t.id, today());
    return [{
      id: d.id, name: d.name, kind: d.kind,
      countries: [...new Set(d.countries.map((c) => c.code).filter((c): c is string => Boolean(c)))],
      identifiers: d.identifiers.slice(0, 3).map((i) => `${i.scheme}:${i.value}`), matched: d.name,
    }];
  });
  const file = b.caseFile!;
  return {
    path: file,
    name: path.basename(file),
    isDemo: b.isDemo,
    sizeBytes: existsSync(file) ? statSync(file).size : 0,
    counts: {
      entities: count('SELECT count(*) AS n FROM entities WHERE is_placeholder = 0'),
      links: count('SELECT count(*) AS n FROM links'),
      markers: count('SELECT count(*) AS n FROM undisclosed'),
      sources: count('SELECT count(*) AS n FROM sources'),
      cases: hasCases ? count('SELECT count(*) AS n FROM cases') : 0,
    },
    sources: listSources(db),
    suggestions,
  };
}

const DEMO_FILES_ORDER = [/lei-cdf/i, /rr-cdf/i, /repex/i];

async function openDemo(b: Backend): Promise<T.CaseOverview> {
  if (existsSync(b.demoFile)) {
    b.openCase(b.demoFile, { create: false });
    if (overview(b).counts.sources > 0) return overview(b);
    b.closeCase();
  }
  if (!existsSync(b.demoDir)) throw new ApiFailure('not-found', `the demo samples are missing (${b.demoDir})`);
  const files = readdirSync(b.demoDir)
    // portfolio.csv is the README tour's screening list, not registry data
    .filter((f) => !f.startsWith('.') && !/\.(md|txt)$/i.test(f) && f !== 'portfolio.csv')
    .sort((x, y) => DEMO_FILES_ORDER.findIndex((r) => r.test(x)) - DEMO_FILES_ORDER.findIndex((r) => r.test(y)))
    .map((f) => path.join(b.demoDir, f));
  // Built into a temporary file and renamed: a half-built demo never replaces a good one.
  const tmp = `${b.demoFile}.building-${process.pid}`;
  const { openCaseDb } = await import('../store/db');
  const db = openCaseDb(tmp);
  try {
    await importFiles(db, files);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (e) {
    db.close();
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) if (existsSync(f)) (await import('node:fs')).rmSync(f);
    throw new ApiFailure('import-error', `the demo case could not be built: ${(e as Error).message}`);
  }
  db.close();
  const fs = await import('node:fs');
  for (const suffix of ['-wal', '-shm']) if (existsSync(b.demoFile + suffix)) fs.rmSync(b.demoFile + suffix);
  fs.renameSync(tmp, b.demoFile);
  for (const suffix of ['-wal', '-shm']) if (existsSync(tmp + suffix)) fs.rmSync(tmp + suffix);
  b.openCase(b.demoFile, { create: false });
  return overview(b);
}

function uploadsDir(b: Backend): string {
  const dir = path.join(b.dataDir, 'uploads');
  mkdirSync(dir, { recursive: true });
  return dir;
}

const coreHandlers = {
  async 'app.info'(_i, b) {
    const f = featureFlags();
    return {
      version: VERSION, mode: b.host.mode, caseFile: b.caseFile, isDemo: b.isDemo, dataDir: b.dataDir,
      features: { ...f, identity: true },
    };
  },
  async 'case.recent'(_i, b) {
    return b.recent();
  },
  async 'case.create'(i, b) {
    const file = /\.(db|sqlite|ownerscope)$/i.test(i.path) ? i.path : `${i.path}.db`;
    b.openCase(file, { create: true });
    return overview(b);
  },
  async 'case.open'(i, b) {
    b.openCase(i.path, { create: false });
    return overview(b);
  },
  async 'case.demo'(_i, b) {
    return openDemo(b);
  },
  async 'case.close'(_i, b) {
    b.closeCase();
    b.emit('case.changed', { caseFile: null });
    return null;
  },
  async 'case.overview'(_i, b) {
    return overview(b);
  },

  async 'file.upload'(i, b) {
    let uploadId = i.uploadId;
    let dir: string;
    if (!uploadId) {
      uploadId = randomUUID().slice(0, 12);
      dir = path.join(uploadsDir(b), uploadId);
      mkdirSync(dir, { recursive: true });
      // the name comes from the browser: one plain file name, kept inside this upload's folder
      const target = fileInside(dir, i.name);
      b.uploads.set(uploadId, target);
      writeFileSync(target, '');
    }
    const target = b.uploads.get(uploadId);
    if (!target) throw new ApiFailure('not-found', `no upload ${uploadId} in progress`, 'uploadId');
    appendFileSync(target, Buffer.from(i.dataBase64, 'base64'));
    if (i.isLast) {
      b.uploads.delete(uploadId);
      b.markOffered(target);
    }
    return { uploadId, path: i.isLast ? target : null };
  },
  async 'file.pick'(i, b) {
    if (!b.host.pickFiles) throw new ApiFailure('unavailable', 'native file dialogs are only available in the desktop app');
    const paths = await b.host.pickFiles(i.purpose);
    for (const p of paths) b.markOffered(p);
    return { paths };
  },
  async 'file.open'(i, b) {
    const file = path.resolve(i.path);
    if (!b.isProduced(file))
      throw new ApiFailure('unauthorized', `${i.path}: only files Ownerscope produced in this session (signed reports, exports) can be opened from the app`, 'path');
    if (!existsSync(file) || !lstatSync(file).isFile()) throw new ApiFailure('not-found', `${i.path}: no such file`, 'path');
    return b.host.openFile(file);
  },

  async 'import.formats'() {
    return FORMATS.map((f) => ({ id: f.id, label: f.label }));
  },
  async 'import.detect'(i) {
    return Promise.all(i.paths.map(async (p): Promise<T.DetectedFile> => {
      const base = { path: p, name: path.basename(p), size: 0 };
      try {
        base.size = requireRegularFile(p).size;
        const found = await detectFormats(p);
        if (found.length === 1 && found[0]!.name === base.name) {
          const [{ format: f, error }] = found as [(typeof found)[number]];
          if (!f) throw error!;
          return { ...base, format: f.id, formatLabel: f.label, error: null, needsFormat: false };
        }
        // a zip: detected entry by entry; a format is asked for only when an entry has none
        const entries = found.map((x) => ({ name: x.name.slice(base.name.length + 1), format: x.format?.id ?? null, formatLabel: x.format?.label ?? null, error: x.error?.message ?? null }));
        const failed = found.find((x) => !x.format);
        if (failed) return { ...base, format: null, formatLabel: null, error: failed.error!.message, needsFormat: failed.error instanceof FormatNotRecognised, entries };
        return { ...base, format: null, formatLabel: `zip of ${entries.length}: ${entries.map((x) => x.formatLabel).join(', ')}`, error: null, needsFormat: false, entries };
      } catch (e) {
        return { ...base, format: null, formatLabel: null, error: (e as Error).message, needsFormat: e instanceof FormatNotRecognised };
      }
    }));
  },
  async 'import.start'(i, b) {
    b.requireDb();
    const sizes = i.paths.map((p) => requireRegularFile(p).size);
    // `formats`: the format the user chose per file (null: detected), where detection failed
    if (i.formats !== undefined && i.formats.length !== i.paths.length)
      throw new ApiFailure('invalid-input', `formats must name one format (or null) per path: ${i.paths.length} paths, ${i.formats.length} formats`, 'formats');
    for (const [k, f] of [...(i.formats ?? []).map((f, n) => [`formats[${n}]`, f] as const), ['format', i.format] as const]) {
      if (f != null && !FORMATS.some((m) => m.id === f)) throw new ApiFailure('invalid-input', `unknown format "${f}"; known formats: ${FORMATS.map((m) => m.id).join(', ')}`, k);
    }
    const jobId = b.newJobId();
    const dbPath = b.caseFile;
    const started = Date.now();
    const progress = (phase: T.ImportProgressEvent['phase'], waitingFor?: string): T.ImportProgressEvent => ({
      jobId, file: path.basename(i.paths[0]!), fileIndex: 0, fileCount: i.paths.length, bytes: 0,
      totalBytes: sizes[0]!, records: 0, expectedRecords: null, elapsedMs: Date.now() - started,
      recordsPerSecond: 0, bytesPerSecond: 0, etaMs: null, phase, ...(waitingFor ? { waitingFor } : {}),
    });
    // One import at a time per case database: a second one queues behind the running one (and,
    // in the worker, waits for an import of another process) instead of failing.
    const waiting = b.queueImport(
      jobId,
      i.paths,
      () => {
        b.startWorker('import', { dbPath, paths: i.paths, format: i.format, formats: i.formats, again: i.again ?? false }, (m) => {
          const msg = m as { type: string; progress?: Omit<T.ImportProgressEvent, 'jobId'>; files?: T.ImportedFile[]; skipped?: T.SkippedFile[]; failed?: T.ImportFileFailure[]; error?: Omit<T.ImportFailure, 'jobId'> };
          if (msg.type === 'progress' && msg.progress) b.emit('import.progress', { ...msg.progress, jobId });
          else if (msg.type === 'done') b.emit('import.done', { jobId, files: (msg.files ?? []).map(importedFile), skipped: msg.skipped ?? [], failed: msg.failed ?? [] });
          else if (msg.type === 'failed' && msg.error) b.emit('import.failed', { ...msg.error, jobId });
        }, jobId);
        b.emit('import.progress', progress('starting'));
      },
      () => {
        const message = 'the queued import was cancelled before it started; nothing was imported';
        b.emit('import.failed', { jobId, file: null, location: null, problem: 'cancelled', message, isCancelled: true });
      },
    );
    if (waiting) b.emit('import.progress', progress('queued', waiting));
    return { jobId };
  },
  async 'import.cancel'(i, b) {
    return { isCancelling: b.cancelJob(i.jobId, 'import') };
  },
  async 'sources.list'(_i, b) {
    return listSources(b.requireDb());
  },
  async 'sources.remove'(i, b) {
    return removeSource(b.requireDb(), i.sourceId);
  },

  async 'entity.search'(i, b) {
    const db = b.requireDb();
    const hits = searchEntities(db, i.query, i.limit ?? 30, i.offset ?? 0);
    // each record is a hit of its own; the ones resolution merged say which entity they belong to
    const groups = resolutionGroups(db);
    return hits.map((h) => {
      const canonicalId = groups.canonical(h.id);
      return groups.members(canonicalId).length > 1 ? { ...h, canonicalId } : h;
    });
  },
  async 'entity.get'(i, b) {
    const db = b.requireDb();
    const asOf = i.asOf ?? today();
    return withIdentifiers(db, { ...resolvedEntityDetail(db, resolveRef(db, i.ref), asOf), asOf });
  },
  async 'graph.neighbourhood'(i, b) {
    const db = b.requireDb();
    return withIdentifiers(db, neighbourhood(db, resolveRef(db, i.ref), {
      up: i.up ?? 3, down: i.down ?? 2, maxPerNode: i.maxPerNode ?? 25, asOf: i.asOf ?? today(),
    }));
  },
  async 'resolution.candidates'(i, b) {
    const db = b.requireDb();
    const found = candidatesFor(db, resolveRef(db, i.ref), i.limit ?? 20);
    const hits = entityHits(db, found.map((c) => c.otherId));
    return found.map((c, n) => {
      const { matched: _matched, ...other } = hits[n]!;
      return { ...other, score: c.score, reason: c.reason };
    });
  },
  async 'resolution.decide'(i, b) {
    const db = b.requireDb();
    // the investigator: the signing identity when one is set up, else the operating-system user
    // a write: waits its turn while an import holds the case database
    await writeTurn(db, () => decide(db, i.refA, i.refB, i.decision, identityStatus(b).signer?.name ?? currentUser(), i.why?.trim() || undefined));
    return resolutionOf(db, resolveRef(db, i.refA));
  },
  async 'trace.get'(i, b) {
    const db = b.requireDb();
    const r = withIdentifiers(db, trace(db, resolveRef(db, i.ref), { down: i.direction === 'down', depth: i.depth, asOf: i.asOf ?? today() }));
    return r as unknown as T.TraceInfo;
  },
} satisfies Partial<Handlers>;

function importedFile(f: T.ImportedFile): T.ImportedFile {
  return {
    sourceId: f.sourceId, file: f.file, format: f.format, sha256: f.sha256, size: f.size, dataDate: f.dataDate,
    records: f.records, entities: f.entities, links: f.links, markers: f.markers, deletions: f.deletions,
    inserted: f.inserted, changed: f.changed, unchanged: f.unchanged, dropped: f.dropped, elapsedMs: f.elapsedMs,
  };
}

export function featureFlags(): Omit<T.AppInfo['features'], 'identity'> {
  return { verdict: verdictHandlers.isAvailable, policies: verdictHandlers.hasPolicies, screening: verdictHandlers.isAvailable, cases: caseHandlers.isAvailable, reports: caseHandlers.hasReports };
}

export const handlers: Handlers = {
  ...coreHandlers,
  ...identityHandlers,
  ...verdictHandlers.handlers,
  ...caseHandlers.handlers,
  ...changeHandlers,
  ...exportHandlers,
  ...assertionHandlers,
};

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export type { Api };
