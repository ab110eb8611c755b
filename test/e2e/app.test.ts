// End to end, as an investigator would: real Chromium (Debian's, via playwright-core) driving
// the real UI in browser mode against the real backend on a temporary case database.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, demo, root, startBrowserApp, type BrowserApp } from './harness';

describe('Ownerscope in Chromium (browser mode)', () => {
  let app: BrowserApp;
  let dir: string;
  let server: BrowserApp['server'];
  let page: Page;
  const nav = (name: RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name });
  const shot = (name: string) => page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: false });

  beforeAll(async () => {
    app = await startBrowserApp({ prefix: 'ownerscope-e2e-' });
    ({ dir, server, page } = app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('refuses the page without the token', async () => {
    const res = await page.goto(server.url);
    expect(res?.status()).toBe(401);
  });

  it('creates a case, imports a sample with progress, and lists the source', async () => {
    await page.goto(server.openUrl);
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await page.getByLabel('File', { exact: true }).first().fill(path.join(dir, 'investigation.db'));
    await page.getByRole('button', { name: 'Create case database' }).click();
    await page.getByText('Overview: investigation.db').waitFor();
    await shot('01-cases');

    await page.getByRole('button', { name: /Sources & import/ }).click();
    await page.getByLabel('Choose files to import').setInputFiles([
      path.join(demo, 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml'),
      path.join(demo, 'rr-cdf21_goldencopy_2023-06-05_excerpt.xml'),
      path.join(demo, 'repex21_goldencopy_2023-06-09_excerpt.xml'),
    ]);
    await page.getByRole('table', { name: 'Files to import' }).getByText('gleif-rr-xml').waitFor();
    await shot('02-import-detected');
    await page.getByRole('button', { name: /^Import 3 files/ }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
    const sources = page.getByRole('table', { name: 'Sources' });
    // a header row and the three files; wait for the last before counting (count() does not wait)
    await sources.getByRole('row').nth(3).waitFor();
    expect(await sources.getByRole('row').count()).toBe(4);
    await shot('03-sources');
  });

  it('shows an error naming the file and the line for a bad file, and imports nothing', async () => {
    const good = readFileSync(path.join(demo, 'lei-cdf31_goldencopy_2023-06-05_excerpt.xml'), 'utf8');
    const bad = path.join(dir, 'truncated-lei.xml');
    writeFileSync(bad, good.slice(0, Math.floor(good.length * 0.6)));
    await page.getByLabel('Choose files to import').setInputFiles(bad);
    await page.getByRole('button', { name: /^Import 1 file/ }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Import failed' });
    await alert.waitFor({ timeout: 60_000 });
    const text = await alert.innerText();
    expect(text).toContain('truncated-lei.xml');
    expect(text).toMatch(/line \d+|byte \d+/);
    expect(await page.getByRole('table', { name: 'Sources' }).getByRole('row').count()).toBe(4);
    await shot('04-import-error');
  });

  it('searches as you type and opens an entity', async () => {
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill('Fidel');
    const results = page.getByRole('table', { name: 'Search results' });
    await results.getByRole('button').first().waitFor();
    await shot('05-search');
    await results.getByRole('button').first().click();
    await page.getByRole('heading', { name: 'Identifiers' }).waitFor();
    await page.getByText('lei', { exact: true }).first().waitFor();
    await shot('06-entity');
  });

  it('shows the ownership graph', async () => {
    await nav(/^Ownership graph/).click();
    const canvas = page.locator('.graph-canvas');
    await canvas.locator('canvas').waitFor();
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-nodes')) > 1);
    await shot('07-graph');
  });

  it('computes a verdict with both methods', async () => {
    await nav(/^Verdict/).click();
    await page.getByLabel('Preset').selectOption('restricted-regions');
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    await page.getByRole('heading', { name: 'Control method' }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Look-through method' }).waitFor();
    expect(await page.locator('.verdict-banner .badge').innerText()).toMatch(/Restricted|Clear|Indeterminate/i);
    // what "as of" means, in the words the CLI and the signed report print (issue 11)
    expect(await page.locator('.verdict-banner .as-of-meaning').innerText()).toMatch(/counts when its own dates cover \d{4}-\d{2}-\d{2}, whatever its status today/);
    await shot('08-verdict');
    await page.getByRole('button', { name: 'Edit a copy' }).click();
    await page.getByRole('button', { name: 'Advanced (JSON)' }).click();
    expect(await page.getByLabel(/Edited policy/).inputValue()).toMatch(/"threshold"/);
    await page.getByRole('button', { name: 'Use the preset' }).click();
  });

  it('exports the graph as SVG and PNG with subject, policy, date, legend, and edge labels in words clear of every node', async () => {
    await nav(/^Ownership graph/).click();
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-nodes')) > 1);
    await page.waitForTimeout(500);
    await shot('08b-graph-words');
    // search within the graph: Enter selects the match and the side panel names it
    await page.getByLabel('Find in graph').fill('fidelity');
    await page.getByLabel('Find in graph').press('Enter');
    await page.getByTestId('graph-find-result').filter({ hasText: /^1 of \d+$/ }).waitFor();
    await page.locator('.selected').getByText(/Fidelity/).first().waitFor();
    // keyboard: arrows move between entities, Enter opens the selected one
    await page.locator('.graph-canvas').focus();
    const before = await page.locator('.selected .strong').innerText();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((b) => document.querySelector('.selected .strong')?.textContent !== b, before);
    await shot('08c-graph-keyboard');
    const [svgDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()]);
    const svgPath = path.join(artifacts, 'graph-export.svg');
    await svgDl.saveAs(svgPath);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg).toMatch(/Ownership graph: .+ \(#\d+\)/);
    expect(svg).toContain('Policy: restricted-regions');
    expect(svg).toMatch(/Date: \d{4}-\d{2}-\d{2}/);
    expect(svg).toContain('id="legend"');
    // measured by the browser itself: no edge label's box meets a node's box, no label is a code
    const check = await page.evaluate((text) => {
      const holder = document.createElement('div');
      holder.innerHTML = text;
      document.body.appendChild(holder);
      const el = holder.querySelector('svg')!;
      const nodes = [...el.querySelectorAll('rect.node')].map((r) => (r as SVGGraphicsElement).getBBox());
      const labels = [...el.querySelectorAll('text.edge-label')].map((t) => ({ text: t.textContent ?? '', b: (t as SVGGraphicsElement).getBBox() }));
      const meet = (a: DOMRect, b: DOMRect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      const covered = labels.filter((l) => nodes.some((n) => meet(n, l.b))).map((l) => l.text);
      holder.remove();
      return { labels: labels.map((l) => l.text), covered };
    }, svg);
    expect(check.labels.length).toBeGreaterThan(0);
    expect(check.covered).toEqual([]);
    for (const l of check.labels) expect(l).not.toMatch(/IS_[A-Z]|PERCENTAGE|\{"exact"/);
    expect(check.labels.some((l) => /consolidated by|shareholding|branch of|fund managed by/.test(l))).toBe(true);
    const [pngDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
    const pngPath = path.join(artifacts, 'graph-export.png');
    await pngDl.saveAs(pngPath);
    expect(readFileSync(pngPath).subarray(1, 4).toString()).toBe('PNG');
    // the next tests go on from the Verdict view
    await nav(/^Verdict/).click();
  });

  it('shows the lists a listed-party policy consulted, and an edit under the name "<preset> (edited)"', async () => {
    await page.getByLabel('Preset').selectOption('bis-affiliates');
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    const lists = page.locator('.lists-consulted');
    await lists.waitFor({ timeout: 30_000 });
    // the GLEIF files carry no list: nothing can be CLEAR under a listed-party policy
    expect(await lists.innerText()).toContain("no list with topic 'export.control' has been imported");
    expect(await page.locator('.verdict-banner .badge').innerText()).toMatch(/Indeterminate|Restricted/i);
    await page.getByRole('button', { name: 'Edit a copy' }).click();
    await page.getByRole('button', { name: 'Advanced (JSON)' }).click();
    // a partial edit (no preset, no name) is an edit of the preset selected
    await page.getByLabel(/Edited policy/).fill('{"threshold": 40}');
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    const policyLine = page.getByText(/^policy .* · sha256/);
    // in the verdict banner (the editor's "Effective policy …" line says the same once it has resolved)
    await page.locator('.verdict-banner').getByText('policy US BIS Affiliates rule (>=50%, Entity List parties) (edited)', { exact: false }).waitFor({ timeout: 30_000 });
    expect(await policyLine.innerText()).not.toContain('Restricted regions');
    await shot('08b-verdict-edited-lists');
    await page.getByRole('button', { name: 'Use the preset' }).click();
    await page.getByLabel('Preset').selectOption('restricted-regions');
    await page.getByRole('button', { name: 'Compute verdict' }).click();
    await page.locator('.lists-consulted').waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('records a decision, signs a report with a new identity, and verifies it', async () => {
    await page.getByRole('button', { name: 'Decide…' }).click();
    await page.getByRole('button', { name: 'Open case' }).click();
    // no signing identity yet: the app asks once who is deciding in this case database
    await page.getByLabel('Investigator name').fill('Ana Investigator');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText(/^Case /).first().waitFor();
    await page.getByLabel(/Override with/).check();
    await page.getByLabel('Overriding verdict').selectOption('indeterminate');
    await page.getByLabel(/Justification/).fill('Registry data is two years old; parent chain to be confirmed with the client.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByText('decision').first().waitFor();
    await page.getByLabel('Add a note').fill('Checked the LEI records against the GLEIF golden copy excerpt.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Notes (1)').waitFor();

    await page.getByLabel('Your name').fill('Ana Investigator');
    await page.getByLabel('Organisation').fill('Due Diligence Ltd');
    await page.getByLabel('Passphrase (8+ characters)').fill('correct horse battery');
    await page.getByLabel('Repeat passphrase').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create identity' }).click();
    await page.getByRole('button', { name: 'Sign report' }).click();
    const signed = page.locator('.ok-box').filter({ hasText: /^Signed/ });
    await signed.waitFor({ timeout: 60_000 });
    await shot('09-decision-report');
    const reportPath = (await page.locator('.ok-box .mono').last().innerText()).trim();
    expect(reportPath).toMatch(/\.pdf$/);

    // open the PDF: the server offers it at a URL carrying the session
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open PDF' }).click()]);
    expect(popup.url()).toMatch(/\/files\/.+\.pdf$/);
    await popup.close();

    await nav(/^Verify a report/).click();
    await page.getByLabel('Choose a report to verify').setInputFiles(reportPath);
    await page.getByText('✔ Valid signature, evidence intact').waitFor({ timeout: 30_000 });
    expect(await page.locator('.verify-result').innerText()).toContain('Ana Investigator');
    // the signer's fingerprint and trust status: the identity made in the app is trusted
    const fingerprint = (await page.locator('.verify-result .fingerprint').innerText()).trim();
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.locator('.verify-result').innerText()).toContain('in your trust list as');
    await shot('10-verify');

    // removed from the trust list, the same report is a valid signature by an unknown signer
    const trusted = page.getByRole('table', { name: 'Trusted signers' });
    expect(await trusted.innerText()).toContain(fingerprint);
    await page.getByRole('button', { name: /^Remove Ana Investigator/ }).click();
    await page.getByText('⚠ VALID SIGNATURE, SIGNER NOT IN YOUR TRUST LIST').waitFor({ timeout: 30_000 });
    expect(await page.locator('.verify-result').innerText()).toContain('not in your trust list');
    await shot('10b-verify-untrusted');
    await page.getByRole('button', { name: 'Trust this signer' }).click();
    await page.getByText('✔ Valid signature, evidence intact').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('table', { name: 'Trusted signers' }).innerText()).toContain(fingerprint);

    // a changed byte is detected
    const pdf = readFileSync(reportPath);
    const tampered = Buffer.from(pdf);
    const at = tampered.indexOf('Ownerscope');
    tampered[at > 0 ? at : 200] ^= 1;
    const tamperedPath = path.join(dir, 'tampered.pdf');
    writeFileSync(tamperedPath, tampered);
    await page.getByLabel('Choose a report to verify').setInputFiles(tamperedPath);
    await page.getByText('✖ Not valid').waitFor({ timeout: 30_000 });
    await shot('11-verify-tampered');

    // dropping a PDF anywhere on the window verifies it, from whatever view is open
    await nav(/^Search/).click();
    const dataTransfer = await page.evaluateHandle((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'dropped-report.pdf', { type: 'application/pdf' }));
      return dt;
    }, pdf.toString('base64'));
    await page.dispatchEvent('.shell', 'dragover', { dataTransfer });
    await page.dispatchEvent('.shell', 'drop', { dataTransfer });
    await page.getByText('✔ Valid signature, evidence intact').waitFor({ timeout: 30_000 });
    expect(await page.locator('.verify-result').innerText()).toContain('Ana Investigator');
  });

  it('screens every entity and filters the results', async () => {
    await nav(/^Screening/).click();
    await page.getByLabel('Screen every entity').check();
    await page.getByRole('button', { name: 'Run screening' }).click();
    const table = page.getByRole('table', { name: 'Screening results' });
    await table.waitFor({ timeout: 60_000 });
    await shot('12-screening');
    await page.getByLabel('Filter results').fill('zzzz-no-such');
    await page.getByText('No rows match.').waitFor();
  });

  it('shows a company recorded three times as one entity: the entity view lists the records, the graph draws one node', async () => {
    // Two records of one company (csv:ALPHA-1, csv:ALPHA-2) and a third that names both: entity
    // resolution merges them (an identifier claimed by two entities), the writer keeps three rows.
    const entities = path.join(dir, 'alpha-entities.csv');
    writeFileSync(entities, [
      'id,scheme,name,kind,jurisdiction,identifiers',
      'ALPHA-1,csv,Alpha Trading Ltd,company,GB,',
      'ALPHA-2,csv,ALPHA TRADING LIMITED,company,CN,',
      'ALPHA-3,csv,Alpha Trading (group file),company,GB,csv:ALPHA-1;csv:ALPHA-2',
      'OWNER-1,csv,Pavel Owner,person,RU,',
      'SUB-1,csv,Alpha Sub GmbH,company,DE,',
      'ALPHA-4,csv,Alpha Trading Limited,company,GB,', // same name and country, nothing proves it: a possible match
    ].join('\n'));
    const links = path.join(dir, 'alpha-links.csv');
    writeFileSync(links, ['owner_ref,owned_ref,kind,share_exact', 'csv:OWNER-1,csv:ALPHA-2,shares,60', 'csv:ALPHA-1,csv:SUB-1,shares,100'].join('\n'));
    await page.getByRole('button', { name: /Sources & import/ }).click();
    await page.getByLabel('Choose files to import').setInputFiles([entities, links]);
    await page.getByRole('button', { name: /^Import 2 files/ }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill('Alpha Trading');
    const results = page.getByRole('table', { name: 'Search results' });
    // every record is a hit; the merged ones say so
    await results.getByText('merged entity').waitFor();
    expect(await results.getByText(/^same entity as #\d+$/).count()).toBe(2);
    await shot('12b-search-merged');
    await results.getByRole('button', { name: 'Alpha Trading Ltd', exact: true }).click();
    const same = page.getByRole('list', { name: 'Same entity as' });
    await same.waitFor();
    expect(await same.innerText()).toContain('ALPHA TRADING LIMITED');
    const matches = page.getByRole('table', { name: 'Possible matches' });
    await matches.getByText('Alpha Trading Limited').waitFor();
    expect(await matches.innerText()).toContain('countries agree (GB)');
    await shot('13-entity-merged');
    // the investigator confirms the match, with a reason
    await page.getByLabel(/^Why/).fill('same company number on the annual return');
    await matches.getByRole('button', { name: 'Same entity as Alpha Trading Limited' }).click();
    await same.getByText('Alpha Trading Limited', { exact: true }).waitFor();
    expect(await page.getByText(/decision.*same company number on the annual return/).count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Possible matches' }).count()).toBe(0);
    await shot('13b-entity-decided');
    await nav(/^Ownership graph/).click();
    // one node for the three records, with the owner stated about one and the subsidiary of another
    await page.getByTestId('graph-counts').filter({ hasText: '3 entities · 2 links · 1 merged from several records' }).waitFor();
    await shot('14-graph-merged');
  });
  it('draws a group of 85 subsidiaries in country clusters, readable at Fit; a subsidiary found by search opens its cluster, - and Space close and open it', async () => {
    const fx = path.join(root, 'test/fixtures/csv/big-group');
    await page.getByRole('button', { name: /Sources & import/ }).click();
    await page.getByLabel('Choose files to import').setInputFiles([path.join(fx, 'entities.csv'), path.join(fx, 'links.csv')]);
    await page.getByRole('button', { name: /^Import 2 files/ }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: 60_000 });
    await nav(/^Search/).click();
    await page.getByLabel('Search entities').fill('Bighold Group');
    await page.getByRole('table', { name: 'Search results' }).getByRole('button', { name: /Bighold Group plc/ }).first().click();
    await nav(/^Ownership graph/).click();
    // all 85 subsidiaries are loaded (the view asks for 200 links per node), drawn in clusters
    await page.waitForFunction(() => Number(document.querySelector('.graph-canvas')?.getAttribute('data-nodes')) === 86);
    await page.getByRole('button', { name: 'Fit' }).click();
    await shot('20-graph-big-group-fit');
    const scale = async () => Number(await page.locator('.graph-canvas').getAttribute('data-scale'));
    const minScale = Number(await page.locator('.graph-canvas').getAttribute('data-min-scale'));
    expect(await scale()).toBeGreaterThanOrEqual(minScale);
    const shown = async () => Number(await page.locator('.graph-canvas').getAttribute('data-shown'));
    const before = await shown();
    expect(before).toBeLessThan(40);
    // the drawing is wrapped into rows: the exported picture is not one row of boxes wide
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export SVG' }).click()]);
    const svgPath = path.join(artifacts, 'graph-big-group.svg');
    await dl.saveAs(svgPath);
    const [, , w, h] = /viewBox="([-\d.]+) ([-\d.]+) ([\d.]+) ([\d.]+)"/.exec(readFileSync(svgPath, 'utf8'))!.slice(1).map(Number) as number[];
    expect(w! / h!).toBeLessThan(2.5);
    // a subsidiary hidden in its country's cluster, found by the graph search: the cluster opens
    await page.getByLabel('Find in graph').fill('Bighold Subsidiary 01 GmbH');
    await page.getByLabel('Find in graph').press('Enter');
    await page.getByTestId('graph-find-result').filter({ hasText: '1 of 1' }).waitFor();
    await page.locator('.selected .strong').filter({ hasText: 'Bighold Subsidiary 01 GmbH' }).waitFor();
    const opened = await shown();
    expect(opened).toBeGreaterThan(before);
    await page.getByRole('button', { name: 'Fit' }).click();
    await shot('21-graph-big-group-expanded');
    // - closes the cluster again, Space opens it
    await page.locator('.graph-canvas').focus();
    await page.keyboard.press('-');
    await page.waitForFunction((b) => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) === b, before);
    await page.keyboard.press('Space');
    await page.waitForFunction((o) => Number(document.querySelector('.graph-canvas')?.getAttribute('data-shown')) === o, opened);
  });
});

