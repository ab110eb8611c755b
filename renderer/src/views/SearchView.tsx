import { useEffect, useRef, useState } from 'react';
import type { EntityHit } from '../../../shared/api/types';
import { call, errorText } from '../api';
import { useApp } from '../state';
import { Empty, ErrorBox, Page, Panel, Tag } from '../ui';

export function SearchView() {
  const app = useApp();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<EntityHit[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [isSearching, setSearching] = useState(false);
  const seq = useRef(0);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => inputRef.current?.focus(), []);

  useEffect(() => {
    const q = query.trim();
    const n = ++seq.current;
    if (!q) {
      setHits([]);
      return;
    }
    setSearching(true);
    const t = setTimeout(() => {
      call('entity.search', { query: q, limit: 50 })
        .then((r) => {
          if (n === seq.current) {
            setHits(r);
            setError(null);
          }
        })
        .catch((e) => n === seq.current && setError(errorText(e)))
        .finally(() => n === seq.current && setSearching(false));
    }, 120);
    return () => clearTimeout(t);
  }, [query]);

  return (
    <Page title="Search" subtitle="Names in any script (current, other, transliterated and previous names) and identifiers such as lei:…, gb-coh:… or a bare LEI.">
      <div className="search-box">
        <label htmlFor="search-input" className="visually-hidden">Search entities</label>
        <input
          id="search-input"
          ref={inputRef}
          type="search"
          placeholder="Company, person or identifier…"
          value={query}
          autoComplete="off"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && hits[0]) app.openEntity({ id: hits[0].id, name: hits[0].name });
          }}
        />
        {isSearching ? <span className="muted small">searching…</span> : <span className="muted small">{query.trim() ? `${hits.length}${hits.length === 50 ? '+' : ''} found` : ''}</span>}
      </div>
      <ErrorBox error={error} />
      <Panel>
        {hits.length === 0 ? (
          <Empty>{query.trim() ? 'No entity matches.' : 'Type a name or an identifier.'}</Empty>
        ) : (
          <table className="table hover" aria-label="Search results">
            <thead>
              <tr><th>Name</th><th>Matched</th><th>Kind</th><th>Countries</th><th>Identifiers</th></tr>
            </thead>
            <tbody>
              {hits.map((h) => (
                <tr key={h.id}>
                  <td>
                    <button type="button" className="linklike strong" onClick={() => app.openEntity({ id: h.id, name: h.name })}>{h.name}</button>
                    {h.canonicalId !== undefined ? (
                      <> <Tag tone="info">{h.canonicalId === h.id ? 'merged entity' : `same entity as #${h.canonicalId}`}</Tag></>
                    ) : null}
                  </td>
                  <td className="small">{h.matched !== h.name ? h.matched : <span className="muted">name</span>}</td>
                  <td><Tag>{h.kind}</Tag></td>
                  <td>{h.countries.join(', ')}</td>
                  <td className="mono small">{h.identifiers.slice(0, 2).join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </Page>
  );
}
