import { useEffect, useRef, useState } from 'react';
import type { DetectedFile, FormatInfo, ImportFailure, ImportFileFailure, ImportProgressEvent, ImportedFile, SkippedFile, SourceInfo } from '../../../shared/api/types';
import { call, errorText, onEvent, uploadFile } from '../api';
import { fmtBytes, fmtDate, fmtDuration, fmtInt } from '../format';
import { useApp } from '../state';
import { isDesktop } from '../transport';
import { Empty, ErrorBox, Page, Panel } from '../ui';
import { refreshChanges } from './ChangesNotice';

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; name: string }
  | { kind: 'running'; jobId: string; progress: ImportProgressEvent | null }
  | { kind: 'done'; files: ImportedFile[]; skipped: SkippedFile[]; failed: ImportFileFailure[] }
  | { kind: 'failed'; failure: ImportFailure };

export function SourcesView() {
  const app = useApp();
  const [sources, setSources] = useState<SourceInfo[]>([]);
  const [detected, setDetected] = useState<DetectedFile[]>([]);
  // where detection failed, the format the user picks for the file (by path)
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [formats, setFormats] = useState<FormatInfo[]>([]);
  const pickedFormats = useRef<Record<string, string>>({});
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [isOver, setOver] = useState(false);
  const jobRef = useRef<string | null>(null);
  // a fast job can finish before import.start answers: keep its last event until the id is known
  const early = useRef(new Map<string, () => void>());
  // …and its progress (a queued job says so before import.start answers)
  const earlyProgress = useRef(new Map<string, ImportProgressEvent>());
  const inputRef = useRef<HTMLInputElement>(null);

  const reload = () => call('sources.list', {}).then(setSources).catch((e) => setError(errorText(e)));
  // Removing a source changes facts and flags cases: the investigator confirms first (docs/CLI.md, "sources remove").
  async function removeOne(s: SourceInfo) {
    const ok = window.confirm(`Remove source #${s.id} ${s.fileName}? Facts only it stated disappear, facts other sources also stated fall back to them, and cases whose verdict used it are flagged. The audit log records the removal.`);
    if (!ok) return;
    try {
      const r = await call('sources.remove', { sourceId: s.id });
      setError(null);
      window.alert(`Removed ${r.fileName}: ${r.removed} record${r.removed === 1 ? '' : 's'} gone, ${r.fellBack} fell back to another source${r.flaggedCases.length ? `; flagged cases: ${r.flaggedCases.join(', ')}` : ''}.`);
      await reload();
      // a removal moves verdicts as an import does: the changes notice re-checks
      void refreshChanges().catch(() => undefined);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => {
    void reload();
    call('import.formats', {}).then(setFormats).catch((e) => setError(errorText(e)));
    const offs = [
      onEvent('import.progress', (p) => {
        if (p.jobId === jobRef.current) setPhase({ kind: 'running', jobId: p.jobId, progress: p });
        else earlyProgress.current.set(p.jobId, p);
      }),
      onEvent('import.done', (d) => {
        if (d.jobId !== jobRef.current) return void early.current.set(d.jobId, () => done(d.files, d.skipped ?? [], d.failed ?? []));
        done(d.files, d.skipped ?? [], d.failed ?? []);
      }),
      onEvent('import.failed', (f) => {
        if (f.jobId !== jobRef.current) return void early.current.set(f.jobId, () => setPhase({ kind: 'failed', failure: f }));
        jobRef.current = null;
        setPhase({ kind: 'failed', failure: f });
      }),
    ];
    return () => offs.forEach((o) => o());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function done(files: ImportedFile[], skipped: SkippedFile[], failed: ImportFileFailure[]) {
    jobRef.current = null;
    setDetected([]);
    setChosen({});
    // the verdict on screen (and the graph's highlights) was computed on the data before this import
    app.setVerdict(null);
    // the summary appears with the list it summarizes: "Imported" never shows beside a stale Sources table
    void reload().finally(() => setPhase({ kind: 'done', files, skipped, failed }));
    void app.refreshInfo();
  }

  const addPaths = async (paths: string[]) => {
    const d = await call('import.detect', { paths });
    setDetected((old) => [...old.filter((o) => !paths.includes(o.path)), ...d]);
  };

  const addFiles = async (files: File[]) => {
    setError(null);
    try {
      const paths: string[] = [];
      for (const f of files) {
        setPhase({ kind: 'uploading', name: f.name });
        paths.push(await uploadFile(f));
      }
      setPhase({ kind: 'idle' });
      await addPaths(paths);
    } catch (e) {
      setPhase({ kind: 'idle' });
      setError(errorText(e));
    }
  };

  // `again`: the files the last import skipped as already imported, imported anyway
  const start = async (again?: string[]) => {
    setError(null);
    try {
      const paths = again ?? detected.map((d) => d.path);
      // the formats chosen in the picker; "Import again anyway" imports a skipped file in the one it was chosen in
      if (!again) pickedFormats.current = Object.fromEntries(detected.filter((d) => d.needsFormat && chosen[d.path]).map((d) => [d.path, chosen[d.path]!]));
      const formats = paths.map((p) => pickedFormats.current[p] ?? null);
      const { jobId } = await call('import.start', { paths, ...(again ? { again: true } : {}), ...(formats.some((f) => f !== null) ? { formats } : {}) });
      jobRef.current = jobId;
      const seen = earlyProgress.current.get(jobId) ?? null;
      earlyProgress.current.delete(jobId);
      setPhase((p) => (p.kind === 'running' && p.jobId === jobId ? p : { kind: 'running', jobId, progress: seen }));
      const finished = early.current.get(jobId);
      if (finished) {
        early.current.delete(jobId);
        if (jobRef.current === jobId) jobRef.current = null;
        finished();
      }
    } catch (e) {
      setError(errorText(e));
    }
  };

  const running = phase.kind === 'running' ? phase : null;
  // a file whose format is still to be chosen cannot be imported yet
  const unchosen = detected.filter((d) => d.needsFormat && !chosen[d.path]);
  const p = running?.progress ?? null;
  const pct = p && p.totalBytes > 0 ? Math.min(100, (100 * p.bytes) / p.totalBytes) : 0;
  const isQueued = p?.phase === 'queued';

  return (
    <Page title="Sources & import" subtitle="Registry files imported into this case database. Each file is imported in one transaction: a file that fails or is cancelled changes nothing, and the other files of the batch are still imported.">
      <Panel title="Import files">
        <div
          className={`dropzone ${isOver ? 'over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            e.stopPropagation();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            e.stopPropagation();
            setOver(false);
            void addFiles([...e.dataTransfer.files]);
          }}
        >
          <p>Drop registry files here: GLEIF Level 1 / Level 2 / reporting exceptions (XML, JSON, CSV), UK PSC snapshots, BODS 0.2–0.4, OpenSanctions/FollowTheMoney, in-house CSV; also inside .zip and .gz</p>
          <div className="row center">
            <input
              ref={inputRef}
              id="import-files"
              type="file"
              multiple
              className="visually-hidden"
              aria-label="Choose files to import"
              onChange={(e) => {
                const files = [...(e.target.files ?? [])];
                e.target.value = '';
                void addFiles(files);
              }}
            />
            <button type="button" onClick={() => (isDesktop ? void call('file.pick', { purpose: 'import' }).then((r) => { if (r.paths.length) void addPaths(r.paths); }) : inputRef.current?.click())}>
              Choose files…
            </button>
          </div>
        </div>
        {phase.kind === 'uploading' ? <p className="muted" role="status">Reading {phase.name}…</p> : null}
        {detected.length > 0 ? (
          <table className="table" aria-label="Files to import">
            <thead>
              <tr><th>File</th><th>Size</th><th>Detected format</th><th></th></tr>
            </thead>
            <tbody>
              {detected.map((d) => (
                <tr key={d.path}>
                  <td>{d.name}</td>
                  <td>{fmtBytes(d.size)}</td>
                  <td>
                    {d.formatLabel ? (
                      <span className="format">{d.formatLabel} <span className="muted mono small">{d.format}</span></span>
                    ) : d.needsFormat ? (
                      <span className="format-pick">
                        <span className="warn-text">{d.entries ? `Not recognised in the zip: ${d.entries.filter((x) => x.format === null).map((x) => x.name).join(', ')}. Which format is it? (the other entries keep theirs)` : 'Not recognised: which format is it?'}</span>{' '}
                        <select aria-label={`Format of ${d.name}`} value={chosen[d.path] ?? ''} onChange={(e) => setChosen({ ...chosen, [d.path]: e.target.value })}>
                          <option value="" disabled>Choose the format…</option>
                          {formats.map((f) => <option key={f.id} value={f.id}>{f.label}</option>)}
                        </select>
                      </span>
                    ) : (
                      <span className="danger">{d.error}</span>
                    )}
                  </td>
                  <td className="right">
                    <button type="button" className="small" disabled={running !== null} onClick={() => setDetected(detected.filter((x) => x !== d))} aria-label={`Remove ${d.name}`}>Remove</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <div className="row">
          <button type="button" className="primary" disabled={detected.length === 0 || unchosen.length > 0 || running !== null} onClick={() => void start()}>
            Import {detected.length > 0 ? `${detected.length} file${detected.length > 1 ? 's' : ''}` : ''}
          </button>
          {unchosen.length > 0 ? <span className="muted small">Choose the format of {unchosen.map((d) => d.name).join(', ')} first.</span> : null}
          {running ? (
            <button type="button" onClick={() => void call('import.cancel', { jobId: running.jobId })}>{isQueued ? 'Cancel queued import' : 'Cancel import'}</button>
          ) : null}
        </div>
        {running && isQueued ? (
          <div className="progress-block" role="status" aria-live="polite" data-phase="queued">
            <div className="progress-label">
              <span>Queued: {p!.fileCount > 1 ? `${p!.fileCount} files` : p!.file}</span>
              <span>queued</span>
            </div>
            <p className="muted">{p!.waitingFor ?? 'waiting for the running import to finish…'} It starts by itself.</p>
          </div>
        ) : null}
        {running && !isQueued ? (
          <div className="progress-block" role="status" aria-live="polite">
            <div className="progress-label">
              <span>{p ? `${p.fileCount > 1 ? `[${p.fileIndex + 1}/${p.fileCount}] ` : ''}${p.file}` : 'Starting…'}</span>
              <span>{p?.phase === 'committing' ? 'committing…' : `${pct.toFixed(0)}%`}</span>
            </div>
            <progress max={100} value={pct} aria-label="Import progress" />
            <div className="progress-stats">
              <span><strong>{fmtInt(p?.records ?? 0)}</strong>{p?.expectedRecords ? ` of ${fmtInt(p.expectedRecords)}` : ''} records</span>
              <span><strong>{fmtInt(Math.round(p?.recordsPerSecond ?? 0))}</strong> records/s</span>
              <span><strong>{((p?.bytesPerSecond ?? 0) / 1048576).toFixed(1)}</strong> MiB/s</span>
              <span><strong>{fmtDuration(p?.etaMs ?? null)}</strong> left</span>
            </div>
          </div>
        ) : null}
        {phase.kind === 'done' && phase.files.length ? (
          <div className="ok-box" role="status">
            Imported {phase.files.map((f) => `${f.file} (${fmtInt(f.records)} records → ${fmtInt(f.entities)} entities, ${fmtInt(f.links)} links, ${fmtInt(f.markers)} markers; ${fmtInt(f.inserted ?? 0)} new, ${fmtInt(f.changed ?? 0)} changed, ${fmtInt(f.unchanged ?? 0)} unchanged, ${fmtInt(f.dropped ?? 0)} dropped)`).join('; ')}.
          </div>
        ) : null}
        {phase.kind === 'done' && phase.skipped.length ? (
          <div className="warn-box" role="status" aria-label="Skipped files">
            <strong>Not imported again (same SHA-256 as a source already in this case):</strong>
            <ul>{phase.skipped.map((s) => <li key={s.file}>{s.message}</li>)}</ul>
            <button type="button" onClick={() => void start([...new Set(phase.skipped.map((s) => s.path))])}>Import again anyway</button>
          </div>
        ) : null}
        {phase.kind === 'done' && phase.failed.length ? (
          <div className="error-box" role="alert" aria-label="Files not imported">
            <strong>{phase.failed.length} file(s) not imported (each file is imported on its own; the others are in):</strong>
            <ul className="failed-files">
              {phase.failed.map((f, i) => (
                <li key={i}>
                  <span className="mono">{f.file ?? 'file'}</span>
                  {f.location ? <span className="muted"> · {f.location}</span> : null}: {f.problem}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {phase.kind === 'failed' ? (
          <div className="error-box" role="alert">
            <strong>{phase.failure.isCancelled ? 'Import cancelled' : 'Import failed'}: nothing was imported</strong>
            {phase.failure.file ? (
              <dl className="error-where">
                <dt>File</dt><dd>{phase.failure.file}</dd>
                {phase.failure.location ? (<><dt>Where</dt><dd>{phase.failure.location}</dd></>) : null}
                <dt>Problem</dt><dd>{phase.failure.problem}</dd>
              </dl>
            ) : (
              <div>{phase.failure.message}</div>
            )}
          </div>
        ) : null}
        <ErrorBox error={error} />
      </Panel>
      <Panel title={`Sources (${sources.length})`}>
        {sources.length === 0 ? (
          <Empty>No sources yet.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Sources">
              <thead>
                <tr><th>File</th><th>Format</th><th>Data date</th><th>Imported</th><th className="right">Records</th><th className="right">Entities</th><th className="right">Links</th><th className="right">Markers</th><th>SHA-256</th><th></th></tr>
              </thead>
              <tbody>
                {sources.map((s) => (
                  <tr key={s.id}>
                    <td>{s.fileName}<div className="muted small">{fmtBytes(s.size)}</div></td>
                    <td className="mono small">{s.format}</td>
                    <td>{fmtDate(s.dataDate)}</td>
                    <td>{fmtDate(s.importedAt)}</td>
                    <td className="right">{fmtInt(s.records)}</td>
                    <td className="right">{fmtInt(s.entities)}</td>
                    <td className="right">{fmtInt(s.links)}</td>
                    <td className="right">{fmtInt(s.markers)}</td>
                    <td className="mono small hash" title={s.sha256}>{s.sha256.slice(0, 16)}…</td>
                    <td>
                      <button type="button" aria-label={`Remove ${s.fileName}`} onClick={() => void removeOne(s)}>Remove</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </Page>
  );
}
