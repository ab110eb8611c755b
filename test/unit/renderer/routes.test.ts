// The app's URL routes (renderer/src/routes.ts): every view has a route, a case page carries its
// case id, anything else falls back (a crafted #fragment cannot pick a view that does not exist).
import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, VIEWS } from '../../../renderer/src/routes';

describe('routes', () => {
  it('round-trips every view and a case page', () => {
    for (const view of VIEWS.filter((v) => v !== 'case')) expect(parseRoute(routeHash({ view }))).toEqual({ view });
    expect(parseRoute(routeHash({ view: 'case', caseId: 'C-0001' }))).toEqual({ view: 'case', caseId: 'C-0001' });
  });
  it('refuses what is not a route', () => {
    for (const h of ['', '#', '#/', '#/nope', '#/verdict/x/y', '#/case/../../etc', '#/case/<script>', 'verdict']) expect(parseRoute(h), h).toBeNull();
    expect(parseRoute('#/case')).toEqual({ view: 'cases' });
  });
});
