// "Export…" in the graph and case views: the same export as `ownerscope export` (electron/backend/
// export), written into the data folder's exports/ and offered to open or save.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { caseScope, exportCase, exportFileName, zipFiles, type ExportOptions } from '../export';
import { resolveRef, today } from '../store/queries';
import { effectivePolicy } from './verdict';
import { ApiFailure } from './errors';
import type { HandlerGroup } from './handlers';

export const exportHandlers: HandlerGroup<'export.run'> = {
  async 'export.run'(i, b) {
    const db = b.requireDb();
    if (i.caseId !== undefined && i.ref !== undefined) throw new ApiFailure('invalid-input', 'give a case or a subject, not both', 'caseId');
    const policy = effectivePolicy(i.policy, i.asOf);
    let scope: Pick<ExportOptions, 'subjectId' | 'up' | 'down' | 'policy'> = { policy };
    if (i.caseId !== undefined) scope = caseScope(db, i.caseId, today(), i.policy ? policy : undefined, i.asOf);
    else if (i.ref !== undefined) scope = { policy, subjectId: resolveRef(db, i.ref), up: i.up ?? 10, down: i.down ?? 10 };
    const result = await exportCase(db, { format: i.format, ...scope });
    const dir = path.join(b.dataDir, 'exports');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, exportFileName(i.format, i.caseId ?? i.ref ?? 'case'));
    writeFileSync(file, i.format === 'csv' ? zipFiles(result.files) : result.files[0]!.data);
    b.markProduced(file);
    const opened = await b.host.openFile(file);
    return { path: file, url: opened.url, ...result.counts };
  },
};
