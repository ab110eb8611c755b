import { useCallback, useEffect, useState } from 'react';
import type { RecentCase } from '../../../shared/api/types';
import { call } from '../api';
import { fmtBytes, fmtDate, fmtInt } from '../format';
import { useAction, useApp } from '../state';
import { isDesktop } from '../transport';
import { Empty, ErrorBox, Page, Panel, Stat, Tag } from '../ui';
import { CaseList } from './CaseList';

export function CasesView() {
  const app = useApp();
  const [recent, setRecent] = useState<RecentCase[]>([]);
  const [newPath, setNewPath] = useState('');
  const [openPath, setOpenPath] = useState('');
  const { error, busy, run } = useAction();
  const o = app.overview;
  // a case changed: the overview's counters follow
  const { setOverview } = app;
  const onCasesChanged = useCallback(() => void call('case.overview', {}).then(setOverview).catch(() => undefined), [setOverview]);

  useEffect(() => {
    call('case.recent', {}).then(setRecent).catch(() => setRecent([]));
  }, [o?.path]);

  useEffect(() => {
    if (app.info && !newPath) setNewPath(`${app.info.dataDir}/cases/new-case.db`);
  }, [app.info, newPath]);

  const open = (path: string) => run('open', async () => app.setOverview(await call('case.open', { path })));
  const pick = async (purpose: 'case-open' | 'case-create') => {
    const r = await call('file.pick', { purpose });
    return r.paths[0];
  };

  return (
    <Page title="Cases" subtitle="A case database is one file holding imported registry data, cases, decisions and the audit trail.">
      {o ? <CaseList onChanged={onCasesChanged} /> : null}
      <div className="grid-2">
        <Panel title="New case database">
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              void run('create', async () => app.setOverview(await call('case.create', { path: newPath })));
            }}
          >
            <label htmlFor="new-path">File</label>
            <div className="row">
              <input id="new-path" value={newPath} onChange={(e) => setNewPath(e.target.value)} spellCheck={false} />
              {isDesktop ? (
                <button type="button" onClick={() => void pick('case-create').then((p) => p && setNewPath(p))}>Browse…</button>
              ) : null}
            </div>
            <div className="row">
              <button type="submit" className="primary" disabled={busy !== null}>Create case database</button>
              <button type="button" disabled={busy !== null} onClick={() => void run('demo', async () => app.setOverview(await call('case.demo', {})))}>
                Open demo case
              </button>
            </div>
          </form>
        </Panel>
        <Panel title="Open a case database">
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              void open(openPath);
            }}
          >
            <label htmlFor="open-path">File</label>
            <div className="row">
              <input id="open-path" value={openPath} placeholder="/path/to/case.db" onChange={(e) => setOpenPath(e.target.value)} spellCheck={false} />
              {isDesktop ? (
                <button type="button" onClick={() => void pick("case-open").then((p) => { if (p) void open(p); })}>Browse…</button>
              ) : null}
              <button type="submit" disabled={!openPath || busy !== null}>Open</button>
            </div>
          </form>
          <h3 className="minor">Recent</h3>
          {recent.length === 0 ? (
            <Empty>No recent case databases.</Empty>
          ) : (
            <ul className="recent">
              {recent.map((r) => (
                <li key={r.path}>
                  <button type="button" className="recent-item" disabled={!r.exists} onClick={() => void open(r.path)}>
                    <span className="recent-name">{r.name}</span>
                    <span className="recent-path">{r.path}</span>
                    <span className="recent-date">{r.exists ? fmtDate(r.openedAt) : 'missing'}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
      <ErrorBox error={error} title="The case database could not be opened" />
      {busy ? <p className="muted" role="status">Working…</p> : null}
      {o ? (
        <Panel
          title={`Overview: ${o.name}`}
          actions={
            <div className="row">
              {o.isDemo ? <Tag tone="info">demo case from the bundled samples</Tag> : null}
              <button type="button" onClick={() => app.go('sources')}>Import files</button>
              <button type="button" className="primary" onClick={() => app.go('search')}>Search</button>
            </div>
          }
        >
          <div className="stats">
            <Stat label="entities" value={fmtInt(o.counts.entities)} />
            <Stat label="ownership links" value={fmtInt(o.counts.links)} />
            <Stat label="undisclosed markers" value={fmtInt(o.counts.markers)} />
            <Stat label="sources" value={fmtInt(o.counts.sources)} />
            <Stat label="cases" value={fmtInt(o.counts.cases)} />
            <Stat label="file size" value={fmtBytes(o.sizeBytes)} />
          </div>
          <p className="muted mono small">{o.path}</p>
          {o.suggestions.length > 0 ? (
            <>
              <h3 className="minor">Most connected entities</h3>
              <table className="table">
                <thead>
                  <tr><th>Name</th><th>Kind</th><th>Countries</th><th>Identifier</th></tr>
                </thead>
                <tbody>
                  {o.suggestions.map((s) => (
                    <tr key={s.id}>
                      <td><button type="button" className="linklike" onClick={() => app.openEntity({ id: s.id, name: s.name })}>{s.name}</button></td>
                      <td>{s.kind}</td>
                      <td>{s.countries.join(', ')}</td>
                      <td className="mono small">{s.identifiers[0] ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <Empty>This case database is empty: import registry files to start.</Empty>
          )}
        </Panel>
      ) : null}
    </Page>
  );
}
