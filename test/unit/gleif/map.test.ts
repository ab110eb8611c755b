import { describe, expect, it } from 'vitest';
import type { EntityFact, LinkFact, UndisclosedFact } from '../../../shared/formats/facts';
import { GleifDataError } from '../../../shared/formats/gleif/enums';
import { makeLei } from '../../../shared/formats/gleif/lei';
import {
  companiesHouseNumber, entityKind, mapException, mapLevel1, mapRelationship, parseCountry, quantifierShare,
} from '../../../shared/formats/gleif/map';

const A = makeLei('CHILD0000000000001');
const B = makeLei('PARENT000000000002');
const BAD = A.slice(0, 18) + (A.endsWith('00') ? '01' : '00');

const getter = (o: Record<string, string>) => (k: string) => (o[k] === '' ? undefined : o[k]);

const l1 = (extra: Record<string, string> = {}) => ({
  LEI: A, 'Entity.LegalName': 'Test Ltd', 'Entity.LegalAddress.Country': 'GB', 'Entity.LegalJurisdiction': 'GB',
  'Entity.EntityStatus': 'ACTIVE', 'Registration.RegistrationStatus': 'ISSUED', ...extra,
});
const rr = (extra: Record<string, string> = {}) => ({
  'Relationship.StartNode.NodeID': A, 'Relationship.StartNode.NodeIDType': 'LEI', 'Relationship.EndNode.NodeID': B,
  'Relationship.EndNode.NodeIDType': 'LEI', 'Relationship.RelationshipType': 'IS_DIRECTLY_CONSOLIDATED_BY',
  'Relationship.RelationshipStatus': 'ACTIVE', 'Registration.RegistrationStatus': 'PUBLISHED', ...extra,
});

describe('Level 1 kind by EntityCategory', () => {
  it.each([
    ['GENERAL', 'company'], ['BRANCH', 'branch'], ['FUND', 'fund'], ['RESIDENT_GOVERNMENT_ENTITY', 'state-body'],
    ['INTERNATIONAL_ORGANIZATION', 'state-body'], ['SOLE_PROPRIETOR', 'person'], [undefined, 'company'],
  ])('%s → %s', (cat, kind) => expect(entityKind(cat)).toBe(kind));
});

describe('countries', () => {
  it.each([
    ['jurisdiction', 'CN-ZJ', undefined, { code: 'CN', subdivision: 'CN-ZJ', text: 'CN-ZJ' }],
    ['jurisdiction', 'US-DE', undefined, { code: 'US', subdivision: 'US-DE', text: 'US-DE' }],
    ['jurisdiction', 'HK', undefined, { code: 'HK', text: 'HK' }],
    ['legal-address', 'CN', 'CN-ZJ', { code: 'CN', subdivision: 'CN-ZJ', text: 'CN' }],
    ['legal-address', 'US', 'CN-ZJ', { code: 'US', text: 'US' }], // region of another country is ignored
    ['jurisdiction', 'Cayman', undefined, { code: null, text: 'Cayman' }],
  ] as const)('%s %s (%s)', (role, text, region, expected) => {
    expect(parseCountry(role, text, region)).toEqual({ role, ...expected });
  });
});

describe('Companies House numbers', () => {
  it.each([
    ['1234567', '01234567'], ['03004112', '03004112'], ['SC012345', 'SC012345'], ['sc12345', 'SC012345'],
    ['FC 12345', 'FC012345'], ['123456789', null], ['ABC', null],
  ])('%s → %s', (raw, v) => expect(companiesHouseNumber(raw)).toBe(v));
});

describe('mapLevel1', () => {
  it('maps identity, names, countries, identifiers and attributes', () => {
    const f = mapLevel1(getter(l1({
      'Entity.LegalName.xmllang': 'en', 'Entity.OtherEntityNames.OtherEntityName.1': 'Old Ltd',
      'Entity.OtherEntityNames.OtherEntityName.1.type': 'PREVIOUS_LEGAL_NAME',
      'Entity.OtherEntityNames.OtherEntityName.2': 'Trade Ltd', 'Entity.OtherEntityNames.OtherEntityName.2.type': 'TRADING_OR_OPERATING_NAME',
      'Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.1': 'Test Ltd ASCII',
      'Entity.HeadquartersAddress.Country': 'CN', 'Entity.HeadquartersAddress.Region': 'CN-ZJ',
      'Entity.RegistrationAuthority.RegistrationAuthorityID': 'RA000585', 'Entity.RegistrationAuthority.RegistrationAuthorityEntityID': '3004112',
      'Entity.EntityCategory': 'GENERAL', 'Entity.LegalForm.EntityLegalFormCode': 'H0PO', 'Entity.SuccessorEntity.1.SuccessorLEI': B,
      'Extension.conformity.conformityflag': 'CONFORMING',
    })), 'line 3') as EntityFact;
    expect(f.type).toBe('entity');
    expect(f.ref).toEqual({ scheme: 'lei', value: A });
    expect(f.kind).toBe('company');
    expect(f.names).toEqual([
      { name: 'Old Ltd', type: 'previous' }, { name: 'Trade Ltd', type: 'trading' }, { name: 'Test Ltd ASCII', type: 'transliterated' },
    ]);
    expect(f.countries.map((c) => [c.role, c.code, c.subdivision])).toEqual([
      ['legal-address', 'GB', undefined], ['headquarters', 'CN', 'CN-ZJ'], ['jurisdiction', 'GB', undefined],
    ]);
    expect(f.identifiers).toEqual([
      { scheme: 'lei', value: A }, { scheme: 'ra', value: 'RA000585:3004112' }, { scheme: 'gb-coh', value: '03004112' },
    ]);
    expect(f.attributes).toMatchObject({ legalFormCode: 'H0PO', successorLei: B, conformity: 'CONFORMING', legalNameLang: 'en' });
    expect(f.registrationStatus).toBe('ISSUED');
    expect(f.recordRef).toBe('line 3');
  });

  it.each(['LAPSED', 'RETIRED', 'ANNULLED', 'DUPLICATE', 'PENDING_TRANSFER'])('keeps registration status %s', (s) => {
    const lei = s === 'ANNULLED' || s === 'DUPLICATE' ? BAD : A;
    const f = mapLevel1(getter(l1({ LEI: lei, 'Registration.RegistrationStatus': s })), 'r') as EntityFact;
    expect(f.registrationStatus).toBe(s);
  });

  it('drops register identifiers of DUPLICATE/ANNULLED records (they belong to the surviving LEI)', () => {
    const f = mapLevel1(getter(l1({ 'Registration.RegistrationStatus': 'DUPLICATE', 'Entity.RegistrationAuthority.RegistrationAuthorityID': 'RA000585', 'Entity.RegistrationAuthority.RegistrationAuthorityEntityID': '1' })), 'r') as EntityFact;
    expect(f.identifiers).toEqual([{ scheme: 'lei', value: A }]);
    expect(f.attributes?.registrationAuthorityEntityId).toBe('1');
  });

  it.each([
    [{ LEI: BAD }, /fails the LEI check digits/],
    [{ LEI: BAD, 'Registration.RegistrationStatus': 'LAPSED' }, /LAPSED is not ANNULLED or DUPLICATE/],
    [{ LEI: 'ABC' }, /is not an LEI/],
    [{ LEI: '' }, /missing LEI/],
    [{ 'Entity.LegalName': '' }, /missing Entity.LegalName/],
    [{ 'Entity.EntityCategory': 'COMPANY' }, /unknown Entity.EntityCategory "COMPANY"/],
    [{ 'Registration.RegistrationStatus': 'ACTIVE' }, /unknown Registration.RegistrationStatus "ACTIVE"/],
    [{ 'Entity.EntityStatus': 'DEAD' }, /unknown Entity.EntityStatus/],
  ])('rejects %o', (extra, msg) => {
    expect(() => mapLevel1(getter(l1(extra as Record<string, string>)), 'r')).toThrow(msg);
    expect(() => mapLevel1(getter(l1(extra as Record<string, string>)), 'r')).toThrow(GleifDataError);
  });

  it('maps a deletion flag to a DeletionFact', () => {
    expect(mapLevel1(getter(l1({ 'Extension.Deletion': 'true' })), 'r')).toEqual({ type: 'delete', recordRef: 'r', object: 'entity', key: `lei:${A}` });
  });
});

describe('mapRelationship', () => {
  it.each([
    ['IS_DIRECTLY_CONSOLIDATED_BY', 'control', 'consolidation', false],
    ['IS_ULTIMATELY_CONSOLIDATED_BY', 'control', 'consolidation', true],
    ['IS_INTERNATIONAL_BRANCH_OF', 'branch', undefined, false],
    ['IS_FUND-MANAGED_BY', 'fund-management', undefined, false],
    ['IS_SUBFUND_OF', 'fund-management', undefined, false],
    ['IS_FEEDER_TO', 'fund-management', undefined, false],
  ])('%s → %s', (type, kind, basis, summary) => {
    const f = mapRelationship(getter(rr({ 'Relationship.RelationshipType': type })), 'line 9') as LinkFact;
    expect(f.kind).toBe(kind);
    expect(f.controlBasis).toBe(basis);
    expect(f.isSummary).toBe(summary);
    expect(f.owner).toEqual({ scheme: 'lei', value: B }); // EndNode = parent
    expect(f.owned).toEqual({ scheme: 'lei', value: A }); // StartNode = child
    expect(f.key).toBe(`gleif-rr|${A}|${B}|${type}`);
  });

  it.each([
    ['ACTIVE', 'PUBLISHED', 'active'],
    ['ACTIVE', 'LAPSED', 'active'], // lapsed is not ended
    ['INACTIVE', 'PUBLISHED', 'inactive'],
    ['NULL', 'PUBLISHED', 'unknown'],
    ['ACTIVE', 'RETIRED', 'inactive'],
    ['ACTIVE', 'ANNULLED', 'inactive'],
    ['ACTIVE', 'DUPLICATE', 'inactive'],
  ])('RelationshipStatus %s + registration %s → %s', (rel, reg, status) => {
    const f = mapRelationship(getter(rr({ 'Relationship.RelationshipStatus': rel, 'Registration.RegistrationStatus': reg })), 'r') as LinkFact;
    expect(f.status).toBe(status);
    expect(f.registrationStatus).toBe(reg);
  });

  it.each([
    ['100.00', { lo: 1_000_000, loOpen: false, hi: 1_000_000, hiOpen: false }, false],
    ['51.5', { lo: 515_000, loOpen: false, hi: 515_000, hiOpen: false }, false],
    ['33.33335', { lo: 333_334, loOpen: false, hi: 333_334, hiOpen: false }, false],
    // 1.00 is ambiguous (1% or a fraction meaning 100%): read as the hull of both readings
    ['1.00', { lo: 10_000, loOpen: false, hi: 1_000_000, hiOpen: false }, true],
    ['0.5', { lo: 5_000, loOpen: false, hi: 500_000, hiOpen: false }, true],
    ['0', { lo: 0, loOpen: false, hi: 0, hiOpen: false }, false],
  ])('quantifier %s', (amount, share, suspect) => {
    expect(quantifierShare(amount)).toEqual({ share, suspect });
    const f = mapRelationship(getter(rr({
      'Relationship.Quantifiers.1.MeasurementMethod': 'ACCOUNTING_CONSOLIDATION', 'Relationship.Quantifiers.1.QuantifierAmount': amount,
      'Relationship.Quantifiers.1.QuantifierUnits': 'PERCENTAGE',
    })), 'r') as LinkFact;
    expect(f.share).toEqual(share);
    expect(f.stated).toBe(`IS_DIRECTLY_CONSOLIDATED_BY ACCOUNTING_CONSOLIDATION ${amount} PERCENTAGE`);
    expect(f.attributes?.quantifierSuspect).toBe(suspect ? 'value <= 1 may be a fraction' : undefined);
  });

  it('no quantifier → share null, stated = the relationship type', () => {
    const f = mapRelationship(getter(rr()), 'r') as LinkFact;
    expect(f.share).toBeNull();
    expect(f.stated).toBe('IS_DIRECTLY_CONSOLIDATED_BY');
  });

  it('takes start/end from RELATIONSHIP_PERIOD, other periods to attributes', () => {
    const f = mapRelationship(getter(rr({
      'Relationship.Period.1.startDate': '2023-01-01T00:00:00Z', 'Relationship.Period.1.endDate': '2023-12-31T00:00:00Z',
      'Relationship.Period.1.periodType': 'ACCOUNTING_PERIOD',
      'Relationship.Period.2.startDate': '2015-03-01T00:00:00+08:00', 'Relationship.Period.2.endDate': '2020-12-31T00:00:00Z',
      'Relationship.Period.2.periodType': 'RELATIONSHIP_PERIOD',
    })), 'r') as LinkFact;
    expect([f.startDate, f.endDate]).toEqual(['2015-03-01', '2020-12-31']);
    expect(f.attributes?.accountingPeriod).toBe('2023-01-01T00:00:00Z/2023-12-31T00:00:00Z');
  });

  it.each([
    [{ 'Relationship.RelationshipType': 'IS_OWNED_BY' }, /unknown Relationship.RelationshipType "IS_OWNED_BY"/],
    [{ 'Relationship.RelationshipStatus': 'ENDED' }, /unknown Relationship.RelationshipStatus/],
    [{ 'Registration.RegistrationStatus': 'ISSUED' }, /unknown Registration.RegistrationStatus/],
    [{ 'Relationship.Period.1.periodType': 'FISCAL' }, /unknown PeriodType/],
    [{ 'Relationship.Quantifiers.1.QuantifierUnits': 'RATIO' }, /unknown QuantifierUnits/],
    [{ 'Relationship.Quantifiers.1.QuantifierAmount': '150' }, /not a percentage/],
    [{ 'Relationship.StartNode.NodeID': BAD }, /StartNode.NodeID .* fails the LEI check digits/],
    [{ 'Relationship.EndNode.NodeIDType': 'BIC' }, /unknown Relationship.EndNode.NodeIDType/],
    [{ 'Relationship.Period.1.startDate': 'yesterday', 'Relationship.Period.1.periodType': 'RELATIONSHIP_PERIOD' }, /not an ISO 8601 date/],
  ])('rejects %o', (extra, msg) => {
    expect(() => mapRelationship(getter(rr(extra as Record<string, string>)), 'r')).toThrow(msg);
  });

  it('accepts a failing check digit on an ANNULLED/DUPLICATE relationship', () => {
    const f = mapRelationship(getter(rr({ 'Relationship.StartNode.NodeID': BAD, 'Registration.RegistrationStatus': 'ANNULLED' })), 'r') as LinkFact;
    expect(f.status).toBe('inactive');
  });

  it('maps a deletion flag to a DeletionFact with the natural key', () => {
    expect(mapRelationship(getter(rr({ 'Extension.Deletion': 'true' })), 'r')).toEqual({
      type: 'delete', recordRef: 'r', object: 'link', key: `gleif-rr|${A}|${B}|IS_DIRECTLY_CONSOLIDATED_BY`,
    });
  });
});

describe('mapException', () => {
  const ex = (cat: string, ...reasons: string[]) => {
    const o: Record<string, string> = { LEI: A, ExceptionCategory: cat };
    reasons.forEach((r, i) => (o[`ExceptionReason.${i + 1}`] = r));
    return o;
  };
  it.each([
    ['NATURAL_PERSONS', 'no-parent'], ['NO_KNOWN_PERSON', 'no-parent'], ['NON_CONSOLIDATING', 'no-parent'],
    ['NON_PUBLIC', 'withheld'], ['LEGAL_OBSTACLES', 'withheld'], ['CONSENT_NOT_OBTAINED', 'withheld'],
    ['DETRIMENT_NOT_EXCLUDED', 'withheld'], ['DISCLOSURE_DETRIMENTAL', 'withheld'], ['BINDING_LEGAL_COMMITMENTS', 'withheld'],
    ['NO_LEI', 'unknown'],
  ])('%s → %s', (reason, category) => {
    const f = mapException(getter(ex('DIRECT_ACCOUNTING_CONSOLIDATION_PARENT', reason)), 'r') as UndisclosedFact;
    expect(f.category).toBe(category);
    expect(f.reason).toBe(reason);
    expect(f.scope).toBe('direct');
    expect(f.key).toBe(`gleif-repex|${A}|DIRECT_ACCOUNTING_CONSOLIDATION_PARENT`);
    if (reason === 'NO_LEI') expect(f.detail).toBe('parent exists without an LEI');
  });

  it('ultimate scope, several reasons (withheld wins), references as detail', () => {
    const o = ex('ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT', 'NO_KNOWN_PERSON', 'NON_PUBLIC');
    o['ExceptionReference.1'] = 'ref one';
    const f = mapException(getter(o), 'r') as UndisclosedFact;
    expect([f.scope, f.category, f.reason, f.detail]).toEqual(['ultimate', 'withheld', 'NO_KNOWN_PERSON, NON_PUBLIC', 'ref one']);
  });

  it.each([
    [ex('PARENT', 'NON_PUBLIC'), /unknown ExceptionCategory "PARENT"/],
    [ex('DIRECT_ACCOUNTING_CONSOLIDATION_PARENT', 'SECRET'), /unknown ExceptionReason "SECRET"/],
    [ex('DIRECT_ACCOUNTING_CONSOLIDATION_PARENT'), /missing ExceptionReason/],
    [{ ...ex('DIRECT_ACCOUNTING_CONSOLIDATION_PARENT', 'NON_PUBLIC'), LEI: BAD }, /check digits/],
  ])('rejects %o', (o, msg) => {
    expect(() => mapException(getter(o), 'r')).toThrow(msg);
  });
});
