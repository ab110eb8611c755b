// Asked once per case database when no signing identity exists yet: the name every decision and
// note of this database is attributed to (an audit entry; the identity's name takes over once one
// is created).
import { useEffect, useRef, useState } from 'react';
import { call } from '../api';
import { useAction } from '../state';
import { ErrorBox } from '../ui';

export function InvestigatorDialog(props: { onDone: (name: string | null) => void }) {
  const [name, setName] = useState('');
  const { error, busy, run } = useAction();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="investigator-title">
        <h2 id="investigator-title">Who is working on this case database?</h2>
        <p className="muted">
          Every decision and note is recorded in the audit log under a name. You have no signing identity yet, so give the
          name to use for this case database (asked once; your signing identity's name is used once you create one).
        </p>
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void run('name', async () => props.onDone((await call('investigator.set', { name })).name));
          }}
        >
          <label htmlFor="investigator-name">Investigator name</label>
          <input id="investigator-name" ref={input} value={name} onChange={(e) => setName(e.target.value)} required />
          <ErrorBox error={error} />
          <div className="row">
            <button type="submit" className="primary" disabled={!name.trim() || busy !== null}>Continue</button>
            <button type="button" onClick={() => props.onDone(null)}>Cancel</button>
          </div>
        </form>
      </div>
    </div>
  );
}
