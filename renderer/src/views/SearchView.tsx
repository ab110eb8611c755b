import { useEffect, useRef, useState } from 'react';
import type { EntityHit } from '../../../shared/api/types';
import { call, errorText } from '../api';
import { useApp } from '../state';
import { Empty, ErrorBox, Page, Panel, Tag } from '../ui';

/** Hits per page; "Show more" reads the next page. */
const PAGE = 50;

const HOW_TEXT: Record<string, string> = { transliteration: 'transliterated', similar: 'similar spelling' };

export function SearchView() {
  const app = useApp();
  const [query, setQuery] = useState('');
  // the hits and the query they answer: Enter must never open the hit of an older query
  const [found, setFound] = useState<{ query: string; hits: EntityHit[]; isComplete: boolean }>({ query: '', hits: [], isComplete: true });
  const [error, setError] = useState<string | null>(null);
  const [isSearching, setSearching] = useState(false);
  const seq = useRef(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const hits = found.hits;

  useEffect(() => inputRef.current?.focus(), []);

  const search = async (q: string, n: number): Promise<EntityHit[] | null> => {
    try {
      const r = await call('entity.search', { query: q, limit: PAGE });
      if (n !== seq.current) return null;
      setFound({ query: q, hits: r, isComplete: r.length < PAGE });
      setError(null);
      return r;
    } catch (e) {
      if (n === seq.current) setError(errorText(e));
      return null;
    } finally {
      if (n === seq.current) setSearching(false);
    }
  };

  useEffect(() => {
    const q = query.trim();
    const n = ++seq.current;
    if (!q) {
      setFound({ query: '', hits: [], isComplete: true });
      setSearching(false);
      return;
    }
    setSearching(true);
    const t = setTimeout(() => void search(q, n), 120);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query]);

  const open = (h: EntityHit) => app.openEntity({ id: h.id, name: h.name });

  const openFirst = async () => {
    const q = query.trim();
    if (!q) return;
    if (found.query === q) {
      if (hits[0]) open(hits[0]);
      return;
    }
    // pasted and Enter at once: the search of this query, not the hits still on screen
    const n = ++seq.current;
    setSearching(true);
    const r = await search(q, n);
    if (r?.[0]) open(r[0]);
  };

  const more = async () => {
    const n = seq.current;
    try {
      const r = await call('entity.search', { query: found.query, limit: PAGE, offset: hits.length });
      if (n !== seq.current) return;
      setFound({ query: found.query, hits: [...hits, ...r.filter((h) => !hits.some((x) => x.id === h.id))], isComplete: r.length < PAGE });
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <Page title="Search" subtitle="Names in any script (current, other, transliterated and previous names; a Latin spelling finds Cyrillic, Greek and other scripts; close spellings are found too) and identifiers such as lei:…, gb-coh:… or a bare LEI.">
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
            if (e.key === 'Enter') void openFirst();
          }}
        />
        {isSearching ? <span className="muted small">searching…</span> : <span className="muted small">{query.trim() ? `${hits.length}${found.isComplete ? '' : '+'} found` : ''}</span>}
      </div>
      <ErrorBox error={error} />
      <Panel>
        {hits.length === 0 ? (
          <Empty>{query.trim() ? (isSearching ? 'Searching…' : 'No entity matches.') : 'Type a name or an identifier.'}</Empty>
        ) : (
          <>
            <table className="table hover" aria-label="Search results">
              <thead>
                <tr><th>Name</th><th>Matched</th><th>Kind</th><th>Countries</th><th>Identifiers</th></tr>
              </thead>
              <tbody>
                {hits.map((h) => (
                  <tr key={h.id}>
                    <td>
                      <button type="button" className="linklike strong" onClick={() => open(h)}>{h.name}</button>
                      {h.canonicalId !== undefined ? (
                        <> <Tag tone="info">{h.canonicalId === h.id ? 'merged entity' : `same entity as #${h.canonicalId}`}</Tag></>
                      ) : null}
                    </td>
                    <td className="small">
                      {h.matched !== h.name ? h.matched : <span className="muted">name</span>}
                      {h.how && HOW_TEXT[h.how] ? <> <Tag tone={h.how === 'similar' ? 'warn' : 'muted'}>{HOW_TEXT[h.how]}</Tag></> : null}
                    </td>
                    <td><Tag>{h.kind}</Tag></td>
                    <td>{h.countries.join(', ')}</td>
                    <td className="mono small">{h.identifiers.slice(0, 2).join(' · ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {!found.isComplete ? (
              <div className="row pager"><button type="button" onClick={() => void more()}>Show more results</button></div>
            ) : null}
          </>
        )}
      </Panel>
    </Page>
  );
}
