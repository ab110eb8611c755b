// What every investigator assertion cites (issue 14): a document (picked, chosen or dropped: stored
// in the case database with its SHA-256 when the fact is saved) or a reference (a URL, a registry
// extract number), where in it, and why. Shared by "Add the missing fact" (AssertionForm, from a
// verdict's gap) and "Assert a fact…" (EntityFactForm, from the entity view).
import { useRef, useState } from 'react';
import type { AssertionDocumentInput } from '../../../shared/api/contract';
import { call, uploadFile } from '../api';
import { fmtBytes } from '../format';
import { isDesktop } from '../transport';

export type Doc = { kind: 'file'; name: string; size: number; path: string } | { kind: 'reference' };

export interface Cited {
  doc: Doc | null;
  reference: string;
  cite: string;
  why: string;
}

export const noCitation: Cited = { doc: null, reference: '', cite: '', why: '' };

export const documentMissing = (c: Cited) => c.doc === null || (c.doc.kind === 'reference' && !c.reference.trim());

/** What is still missing, in words ("" when nothing is). */
export const citationMissing = (c: Cited) => `${documentMissing(c) ? 'Give a document or a reference. ' : ''}${c.why.trim() ? '' : 'Say why.'}`;

/** The assertion.* methods' document part. */
export function citedInput(c: Cited): AssertionDocumentInput {
  return {
    ...(c.doc?.kind === 'file' ? { document: c.doc.path } : { reference: c.reference.trim() }),
    ...(c.cite.trim() ? { cite: c.cite.trim() } : {}),
    why: c.why.trim(),
  };
}

/**
 * The document, page and reason fields. `run` is the form's action runner (useAction), so an
 * upload shows as the form's busy state and its failure as the form's error. `idPrefix` keeps the
 * fields' ids unique per form; `onEdited` clears the form's last error when the reason changes.
 */
export function CitedFields(props: {
  value: Cited;
  /** an updater, as React's setState takes it: an upload ends after the user may have typed on */
  onChange: (update: (c: Cited) => Cited) => void;
  run: (label: string, fn: () => Promise<unknown>) => Promise<void>;
  idPrefix: string;
  testId: string;
  onEdited?: () => void;
}) {
  const c = props.value;
  const set = (patch: Partial<Cited>) => props.onChange((old) => ({ ...old, ...patch }));
  const [over, setOver] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const id = (k: string) => `${props.idPrefix}-${k}`;

  const attach = (f: File) =>
    void props.run('upload', async () => {
      set({ doc: { kind: 'file', name: f.name, size: f.size, path: await uploadFile(f) } });
    });
  const pick = () =>
    isDesktop
      ? void props.run('pick', async () => {
          const p = (await call('file.pick', { purpose: 'document' })).paths[0];
          if (p) set({ doc: { kind: 'file', name: p.split(/[\\/]/).pop() ?? p, size: 0, path: p } });
        })
      : fileInput.current?.click();

  return (
    <>
      <label>Document</label>
      <div
        className={`dropzone small${over ? ' over' : ''}`}
        data-testid={props.testId}
        onDragOver={(e) => { e.preventDefault(); e.stopPropagation(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          // the document is for this fact: not the window's drop (which verifies a dropped PDF report)
          e.preventDefault();
          e.stopPropagation();
          setOver(false);
          const f = e.dataTransfer.files[0];
          if (f) attach(f);
        }}
      >
        {c.doc?.kind === 'file' ? (
          <p><strong>{c.doc.name}</strong>{c.doc.size ? ` (${fmtBytes(c.doc.size)})` : ''}: stored in the case database with its SHA-256 when saved</p>
        ) : (
          <p>Drop the document here (an annual report, a register extract, a filing, a list entry)</p>
        )}
        <div className="row">
          <button type="button" onClick={pick}>Choose a file…</button>
          <button type="button" onClick={() => set({ doc: { kind: 'reference' } })}>Cite a reference instead</button>
        </div>
        <input ref={fileInput} type="file" className="visually-hidden" aria-label="Choose the document" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) attach(f); }} />
      </div>
      {c.doc?.kind === 'reference' ? (
        <>
          <label htmlFor={id('reference')}>Reference (a URL, a registry extract number)</label>
          <input id={id('reference')} value={c.reference} onChange={(e) => set({ reference: e.target.value })} />
        </>
      ) : null}
      <label htmlFor={id('cite')}>Page or section</label>
      <input id={id('cite')} placeholder="p. 12, note 4" value={c.cite} onChange={(e) => set({ cite: e.target.value })} />
      <label htmlFor={id('why')}>Why (your reason; required)</label>
      <textarea id={id('why')} rows={2} value={c.why} onChange={(e) => { set({ why: e.target.value }); props.onEdited?.(); }} />
    </>
  );
}
