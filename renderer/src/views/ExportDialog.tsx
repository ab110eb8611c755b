// "Export…": the data of a subject's neighbourhood (graph view) or of what a case read (case
// view) in another tool's format, as `ownerscope export` writes it (docs/CLI.md "export").
import { useState } from 'react';
import { call, errorText } from '../api';

const FORMATS = [
  ['graphml', 'GraphML (Gephi, yEd, networkx)'],
  ['gexf', 'GEXF (Gephi)'],
  ['csv', 'CSV, zipped (i2, Maltego, spreadsheets; Ownerscope imports it back)'],
  ['ftm', 'FollowTheMoney JSON lines (OpenSanctions, Aleph)'],
  ['bods', 'BODS 0.4 statements (Open Ownership)'],
] as const;
type Format = (typeof FORMATS)[number][0];

export function ExportDialog({ scope, label }: { scope: { ref?: string; caseId?: string; up?: number; down?: number }; label: string }) {
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<Format>('graphml');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ url: string | null; path: string; entities: number; links: number; markers: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    setBusy(true);
    setError(null);
    setDone(null);
    void call('export.run', { format, ...scope })
      .then(async (r) => {
        setDone(r);
        const o = r.url ? r : await call('file.open', { path: r.path });
        if (o.url) window.open(o.url, '_blank', 'noopener');
      })
      .catch((e) => setError(errorText(e)))
      .finally(() => setBusy(false));
  };
  if (!open) return <button type="button" onClick={() => setOpen(true)}>Export…</button>;
  return (
    <div className="export-dialog" role="dialog" aria-label="Export data">
      <label htmlFor="export-format">Export {label} as</label>
      <select id="export-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
        {FORMATS.map(([id, name]) => <option key={id} value={id}>{name}</option>)}
      </select>
      <button type="button" className="primary" disabled={busy} onClick={run}>{busy ? 'Exporting…' : 'Export'}</button>
      <button type="button" onClick={() => setOpen(false)}>Close</button>
      {done ? (
        <p role="status" className="small">
          {done.entities} entities, {done.links} links, {done.markers} undisclosed markers{done.url ? <> · <a href={done.url} target="_blank" rel="noopener noreferrer">download</a></> : <> · saved as <span className="mono">{done.path}</span></>}
        </p>
      ) : null}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
    </div>
  );
}
