// Reader for saved GLEIF API responses (api.gleif.org/api/v1, JSON:API): one resource or a page of
// `lei-records`, `relationship-records` or `reporting-exceptions`, including the parent/children
// endpoints. A byte-level scanner walks the top-level object without parsing it: each element of
// `data` (or `data` itself when it is one object) is cut out and JSON.parse'd on its own, `meta`,
// `links` and `errors` are read whole (small, capped), every other member is skipped unread. Mapping:
// shared/formats/gleif/api.ts → the golden-copy mappers; decisions: docs/FORMATS-GLEIF.md.
import type { Fact, LinkFact } from '../../../../shared/formats/facts';
import {
  apiErrorText, exceptionColumns, impliedRelationshipColumns, level1Columns, own, parseApiRequest, relationshipColumns,
  type ApiRequest,
} from '../../../../shared/formats/gleif/api';
import { GleifDataError } from '../../../../shared/formats/gleif/enums';
import { mapException, mapLevel1, mapRelationship } from '../../../../shared/formats/gleif/map';
import type { ParseContext } from '../types';
import { BATCH } from './families';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './json';

/** A resource larger than this is not an API response (real ones are a few KiB). */
export const MAX_RESOURCE_BYTES = 16 * 1024 * 1024;
/** `meta`, `links` and `errors` are a few hundred bytes in real responses. */
export const MAX_MEMBER_BYTES = 1024 * 1024;

const COMMA = 0x2c;
const COLON = 0x3a;

/** Top-level members read whole; `data` and `included` are arrays of resources (or one resource). */
const READ_WHOLE = new Set(['meta', 'links', 'errors']);
const RESOURCES = new Set(['data', 'included']);

type ScanEvent = { kind: 'member'; key: string; bytes: Buffer } | { kind: 'resource'; bytes: Buffer; line: number };

/** Splits a JSON:API document into its top-level members and resources, chunk by chunk. */
class Scanner {
  private depth = 0;
  private inString = false;
  private escape = false;
  private started = false;
  private ended = false;
  private expectKey = false;
  private key = '';
  private keyParts = '';
  private keyStart = -1;
  /** What the current top-level value is: read whole, an array of resources, or skipped. */
  private mode: 'none' | 'whole' | 'resources' | 'skip' = 'none';
  private parts: Buffer[] = [];
  private start = -1;
  private size = 0;
  private limit = 0;
  private startLine = 0;
  line = 1;
  resources = 0;
  sawData = false;
  readonly events: ScanEvent[] = [];

  constructor(private readonly ctx: ParseContext) {}

  private where(): string {
    return `line ${this.line}`;
  }

  private begin(i: number, limit: number): void {
    this.start = i;
    this.parts = [];
    this.size = 0;
    this.limit = limit;
    this.startLine = this.line;
  }

  private finish(chunk: Buffer, i: number): Buffer {
    const piece = chunk.subarray(this.start, i + 1);
    this.parts.push(piece);
    this.check(piece.length);
    const bytes = this.parts.length === 1 ? piece : Buffer.concat(this.parts);
    this.parts = [];
    this.start = -1;
    return bytes;
  }

  private check(added: number): void {
    this.size += added;
    if (this.size > this.limit) {
      const what = this.mode === 'whole' ? `the top-level "${this.key}" member` : `resource ${this.resources + 1} of "${this.key}"`;
      this.ctx.fail(`line ${this.startLine}`, `${what} is larger than ${this.limit / 1048576} MiB: not a GLEIF API response`);
    }
  }

  private notObject(): never {
    this.ctx.fail(this.where(), `element ${this.resources + 1} of "${this.key}" is not an object (a JSON:API resource)`);
  }

  feed(chunk: Buffer): void {
    const len = chunk.length;
    for (let i = 0; i < len; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.keyStart >= 0) {
            this.key = this.keyParts + chunk.toString('utf8', this.keyStart, i);
            this.keyStart = -1;
            this.keyParts = '';
          }
        }
        continue;
      }
      if (c === 0x0a) {
        this.line++;
        continue;
      }
      if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
      if (this.ended) this.ctx.fail(this.where(), 'text after the end of the JSON document');
      if (!this.started) {
        if (c !== OPEN_BRACE) this.ctx.fail(this.where(), 'not a GLEIF API response: expected a JSON object {"data": ...}');
        this.started = true;
        this.depth = 1;
        this.expectKey = true;
        continue;
      }
      const valueStart = this.depth === 1 && !this.expectKey && this.mode === 'none' && c !== COMMA && c !== CLOSE_BRACE && c !== COLON;
      if (valueStart) this.startValue(c, i);
      else if (this.depth === 2 && this.mode === 'resources' && this.start < 0 && c !== COMMA && c !== CLOSE_BRACKET) {
        if (c !== OPEN_BRACE) this.notObject();
        this.begin(i, MAX_RESOURCE_BYTES);
      }
      switch (c) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 1 && this.expectKey) this.keyStart = i + 1;
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          this.depth++;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          this.depth--;
          if (this.depth === 0) this.ended = true;
          else if (this.depth === 1 && this.mode === 'whole') this.endWhole(chunk, i);
          else if (this.depth === 1 && this.mode === 'resources') this.mode = 'none';
          else if (this.depth === 2 && this.mode === 'resources' && this.start >= 0) {
            this.events.push({ kind: 'resource', bytes: this.finish(chunk, i), line: this.startLine });
            this.resources++;
          }
          break;
        case COLON:
          if (this.depth === 1) this.expectKey = false;
          break;
        case COMMA:
          if (this.depth === 1) {
            if (this.mode === 'whole') this.endWhole(chunk, i - 1);
            this.mode = 'none';
            this.expectKey = true;
          }
          break;
        default:
          break;
      }
    }
    // a value or key that continues in the next chunk
    if (this.start >= 0) {
      const rest = Buffer.from(chunk.subarray(this.start));
      this.parts.push(rest);
      this.check(rest.length);
      this.start = 0;
    }
    if (this.inString && this.keyStart >= 0) {
      this.keyParts += chunk.toString('utf8', this.keyStart);
      this.keyStart = 0;
    }
  }

  /** The first byte of a top-level member's value. */
  private startValue(c: number, i: number): void {
    if (RESOURCES.has(this.key)) {
      if (this.key === 'data') this.sawData = true;
      if (c === OPEN_BRACKET) {
        this.mode = 'resources';
        return;
      }
      if (c === OPEN_BRACE) {
        // one resource (`lei-records/LEI`, `.../direct-parent`, `...-relationship`)
        this.mode = 'whole';
        this.begin(i, MAX_RESOURCE_BYTES);
        return;
      }
      if (c === 0x6e /* null: a relationship endpoint with nothing to return */) {
        this.mode = 'skip';
        return;
      }
      this.ctx.fail(this.where(), `"${this.key}" is neither a resource object, an array of resources nor null`);
    }
    if (READ_WHOLE.has(this.key)) {
      this.mode = 'whole';
      this.begin(i, MAX_MEMBER_BYTES);
      return;
    }
    this.mode = 'skip';
  }

  private endWhole(chunk: Buffer, i: number): void {
    const bytes = this.finish(chunk, i);
    if (RESOURCES.has(this.key)) {
      this.events.push({ kind: 'resource', bytes, line: this.startLine });
      this.resources++;
    } else this.events.push({ kind: 'member', key: this.key, bytes });
    this.mode = 'none';
  }

  end(): void {
    if (!this.started) this.ctx.fail('line 1', 'empty file: not a GLEIF API response');
    if (!this.ended || this.inString) this.ctx.fail(this.where(), 'truncated JSON: the file ends inside the document');
  }
}

const PARENT_SIDE = new Set(['direct-parent', 'ultimate-parent']);

function parseMember(ctx: ParseContext, key: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    ctx.fail(`top-level "${key}"`, `malformed JSON: ${(e as Error).message}`);
  }
}

/** The request a page's `links` (first/last/self/next/prev) name, when they name one. */
function requestFromLinks(ctx: ParseContext, links: unknown): ApiRequest | null {
  let found: ApiRequest | null = null;
  for (const k of ['self', 'first', 'last', 'next', 'prev', 'related']) {
    const v = own(links, k);
    if (typeof v !== 'string') continue;
    const r = parseApiRequest(v);
    if (!r) continue;
    if (found && (found.lei !== r.lei || found.endpoint !== r.endpoint)) {
      ctx.fail('top-level "links"', `the links name two different requests (${found.lei}/${found.endpoint} and ${r.lei}/${r.endpoint})`);
    }
    found = r;
  }
  return found;
}

const describe = (r: ApiRequest) => `lei-records/${r.lei}${r.endpoint ? `/${r.endpoint}` : ''}`;

/** Drops a UTF-8 byte order mark at the start (Windows tools write one when saving a response). */
async function* withoutBom(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  let decided = false;
  for await (const chunk of input) {
    if (decided) {
      yield chunk;
      continue;
    }
    head = Buffer.concat([head, chunk]);
    if (head.length < 3 && head.equals(BOM.subarray(0, head.length))) continue;
    decided = true;
    yield head.subarray(0, 3).equals(BOM) ? head.subarray(3) : head;
  }
  if (!decided && head.length > 0) yield head;
}
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export async function* parseApi(input: AsyncIterable<Buffer>, ctx: ParseContext): AsyncGenerator<Fact[], void, void> {
  const scanner = new Scanner(ctx);
  const given = ctx.requestUrl !== undefined ? parseApiRequest(ctx.requestUrl) : null;
  if (ctx.requestUrl !== undefined && !given) ctx.fail('--from-url', `"${ctx.requestUrl}" is not a GLEIF API lei-records URL`);
  let request: ApiRequest | null = given;
  let resourceNo = 0;
  let batch: Fact[] = [];
  /** LEIs of the lei-records read, for the relationships a parent/children response implies. */
  const leis: { lei: string; ref: string }[] = [];

  const resource = (bytes: Buffer, line: number) => {
    resourceNo++;
    const ref = `record ${resourceNo}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      ctx.fail(`${ref} (line ${line})`, `malformed JSON: ${(e as Error).message}`);
    }
    const type = own(parsed, 'type');
    const attrs = own(parsed, 'attributes');
    const lei = own(attrs, 'lei');
    // the LEI names the record in errors only when it looks like one (a hostile value is not echoed)
    const label = typeof lei === 'string' && lei.length <= 40 ? `${ref} (LEI ${lei})` : ref;
    if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs)) {
      ctx.fail(label, `not a JSON:API resource: no "attributes" object${typeof type === 'string' ? ` (type "${type}")` : ''}`);
    }
    try {
      let fact: Fact;
      if (type === 'lei-records') {
        const cols = level1Columns(attrs);
        fact = mapLevel1((k) => cols[k], ref);
        if (fact.type === 'entity') leis.push({ lei: cols['LEI']!, ref });
      } else if (type === 'relationship-records') {
        const cols = relationshipColumns(attrs);
        fact = mapRelationship((k) => cols[k], ref);
      } else if (type === 'reporting-exceptions') {
        const cols = exceptionColumns(attrs);
        fact = mapException((k) => cols[k], ref);
      } else {
        ctx.fail(label, `resource type ${JSON.stringify(type)} is not one Ownerscope imports (lei-records, relationship-records, reporting-exceptions)`);
      }
      batch.push(fact);
    } catch (e) {
      if (e instanceof GleifDataError) ctx.fail(label, e.problem);
      throw e;
    }
  };

  const member = (key: string, bytes: Buffer) => {
    const value = parseMember(ctx, key, bytes);
    if (key === 'errors') ctx.fail('top-level "errors"', `the file is a GLEIF API error response (${apiErrorText(value)}), not data`);
    if (key === 'meta') {
      const date = own(own(value, 'goldenCopy'), 'publishDate');
      if (typeof date === 'string' && /^\d{4}-\d{2}-\d{2}/.test(date)) ctx.setDataDate(date);
    }
    if (key === 'links') {
      const r = requestFromLinks(ctx, value);
      if (r && given && (r.lei !== given.lei || r.endpoint !== given.endpoint)) {
        ctx.fail('top-level "links"', `the response says it answers ${describe(r)}, but --from-url says ${describe(given)}`);
      }
      if (r && !given) request = r;
    }
  };

  for await (const chunk of withoutBom(input)) {
    scanner.feed(chunk);
    const before = resourceNo;
    for (const ev of scanner.events) {
      if (ev.kind === 'resource') resource(ev.bytes, ev.line);
      else member(ev.key, ev.bytes);
    }
    scanner.events.length = 0;
    if (resourceNo > before) ctx.countRecords(resourceNo - before);
    if (batch.length >= BATCH) {
      const out = batch;
      batch = [];
      yield out;
    }
  }
  scanner.end();
  if (!scanner.sawData) ctx.fail(`line ${scanner.line}`, 'not a GLEIF API response: no top-level "data" member');

  const relation = (request as ApiRequest | null)?.relation ?? null;
  if (relation !== null) {
    const subject = request!.lei;
    if (PARENT_SIDE.has(relation) && leis.length > 1) {
      ctx.fail(describe(request!), `a ${relation} response holds one LEI record, this file holds ${leis.length}`);
    }
    for (const { lei, ref } of leis) {
      if (lei === subject) ctx.fail(`${ref} (LEI ${lei})`, `the record is ${subject} itself, not its ${relation.replace('-', ' ')}: is the request URL right?`);
      const cols = impliedRelationshipColumns(relation, subject, lei);
      const link = mapRelationship((k) => cols[k], ref) as LinkFact;
      link.attributes = { ...link.attributes, impliedBy: `GLEIF API ${describe(request!)} response` };
      batch.push(link);
    }
  }
  if (batch.length > 0) yield batch;
}

/** Detects a saved API response from its first bytes: a JSON object whose resources have a type Ownerscope reads. */
export function sniffApi(head: string): boolean {
  if (!/^\s*\{/.test(head)) return false;
  if (/"type"\s*:\s*"(lei-records|relationship-records|reporting-exceptions)"/.test(head) && /"attributes"\s*:/.test(head)) return true;
  // a saved error response or an empty page: recognised so that the reader can say what it is
  return /^\s*\{\s*"(meta|links|data|errors|jsonapi)"\s*:/.test(head) && /"goldenCopy"\s*:|api\.gleif\.org\/api\/v1\/lei-records/.test(head);
}
