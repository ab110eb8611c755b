// The two methods of RULES.md §5 on a compiled graph: control (DEF/POS least fixpoints) and
// look-through (per strongly connected component, iterated to convergence with outward rounding).
import { FULL_SHARE } from '../model';
import { thresholdUnits, type EffectivePolicy } from '../policy/policy';
import {
  C_NORMAL,
  C_ORIGIN,
  C_PERSON_MAYBE,
  H_CONTROL,
  H_HI_OPEN,
  H_LO_OPEN,
  H_SHARE,
  type CompiledGraph,
} from './compile';

// Local copies of imported constants: hot loops read these directly, not through module bindings.
const C_NORMAL_ = C_NORMAL;
const C_ORIGIN_ = C_ORIGIN;
const C_PERSON_MAYBE_ = C_PERSON_MAYBE;
const H_SHARE_ = H_SHARE;
const H_LO_OPEN_ = H_LO_OPEN;
const H_HI_OPEN_ = H_HI_OPEN;
const H_CONTROL_ = H_CONTROL;
const FULL_SHARE_ = FULL_SHARE;

export const S_NO = 0;
export const S_MAYBE = 1;
export const S_YES = 2;

/** Bounds of a share in units; `loOpen`/`hiOpen` mark open ends. */
export interface Bounds {
  lo: Int32Array;
  hi: Int32Array;
  /** bit 1: lo open, bit 2: hi open */
  open: Uint8Array;
  status: Uint8Array;
}

export interface Threshold {
  units: number;
  gte: boolean;
}

export function threshold(p: EffectivePolicy): Threshold {
  return { units: thresholdUnits(p), gte: p.comparison === 'gte' };
}

/** Does a lower end certainly pass the threshold? */
export function passesLo(v: number, open: boolean, t: Threshold): boolean {
  return t.gte ? v >= t.units : v > t.units || (v === t.units && open);
}

/** Can a value below this upper end pass the threshold? */
export function canPassHi(v: number, open: boolean, t: Threshold): boolean {
  return t.gte ? v > t.units || (v === t.units && !open) : v > t.units;
}

export function statusOf(lo: number, loOpen: boolean, hi: number, hiOpen: boolean, t: Threshold): number {
  if (passesLo(lo, loOpen, t)) return S_YES;
  if (!canPassHi(hi, hiOpen, t)) return S_NO;
  return S_MAYBE;
}

function newBounds(n: number): Bounds {
  return { lo: new Int32Array(n), hi: new Int32Array(n), open: new Uint8Array(n), status: new Uint8Array(n) };
}

/** Outgoing holdings (owner -> holding indices), needed by the control worklists. */
function outgoing(cg: CompiledGraph): { start: Int32Array; items: Int32Array; owned: Int32Array } {
  const n = cg.n;
  const m = cg.hOwner.length;
  const owned = new Int32Array(m);
  for (let x = 0; x < n; x++) for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++) owned[h] = x;
  const start = new Int32Array(n + 1);
  for (let h = 0; h < m; h++) start[cg.hOwner[h]! + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const items = new Int32Array(m);
  for (let h = 0; h < m; h++) items[fill[cg.hOwner[h]!]!++] = h;
  return { start, items, owned };
}

/**
 * Control (chain) method. DEF and POS are least fixpoints grown from the origins, so they
 * terminate on any cycle and a cycle without an origin never stays `maybe`.
 */
export function controlMethod(cg: CompiledGraph): Bounds {
  const n = cg.n;
  const p = cg.policy;
  const t = threshold(p);
  const agg = p.aggregate;
  const useControl = p.countControl;
  const out = outgoing(cg);
  const oStart = out.start;
  const oItems = out.items;
  const oOwned = out.owned;
  const cls = cg.cls;
  const hStart = cg.hStart;
  const hFlags = cg.hFlags;
  const hLo = cg.hLo;
  const hHi = cg.hHi;
  const uHiA = cg.uHi;
  const uOpenA = cg.uOpen;
  const NORMAL = C_NORMAL_;
  const ORIGIN = C_ORIGIN_;
  const SHARE = H_SHARE_;
  const LO_OPEN = H_LO_OPEN_;
  const HI_OPEN = H_HI_OPEN_;
  const CONTROL = H_CONTROL_;

  // DEF
  const inDef = new Uint8Array(n);
  const defLo = new Float64Array(n);
  const defOpen = new Uint8Array(n);
  const queue = new Int32Array(n);
  let qh = 0;
  let qt = 0;
  const seedNormal = passesLo(0, false, t);
  for (let x = 0; x < n; x++) {
    const c = cls[x]!;
    if (c === ORIGIN || (c === NORMAL && seedNormal)) {
      inDef[x] = 1;
      queue[qt++] = x;
    }
  }
  while (qh < qt) {
    const o = queue[qh++]!;
    const ee = oStart[o + 1]!;
    for (let e = oStart[o]!; e < ee; e++) {
      const h = oItems[e]!;
      const x = oOwned[h]!;
      if (cls[x] !== NORMAL) continue;
      const f = hFlags[h]!;
      if (f & SHARE) {
        const v = hLo[h]!;
        const vo = (f & LO_OPEN) !== 0;
        if (agg) {
          defLo[x]! += v;
          if (vo) defOpen[x] = 1;
        } else if (v > defLo[x]! || (v === defLo[x] && vo)) {
          defLo[x] = v;
          defOpen[x] = vo ? 1 : 0;
        }
      }
      if (inDef[x]) continue;
      if ((useControl && f & CONTROL) || passesLo(defLo[x]!, defOpen[x] === 1, t)) {
        inDef[x] = 1;
        queue[qt++] = x;
      }
    }
  }

  // POS
  const inPos = new Uint8Array(n);
  const posHi = new Float64Array(n); // Σ hi (or max hi) over POS owners
  const posHiOpen = new Uint8Array(n); // any open (sum) / open of the max
  const totalLo = new Float64Array(n);
  const totalLoOpen = new Int32Array(n);
  const posLo = new Float64Array(n);
  const posLoOpen = new Int32Array(n);
  const posControl = new Uint8Array(n);
  for (let x = 0; x < n; x++) {
    let s = 0;
    let so = 0;
    const he = hStart[x + 1]!;
    for (let h = hStart[x]!; h < he; h++) {
      const f = hFlags[h]!;
      if (!(f & SHARE)) continue;
      s += hLo[h]!;
      if (f & LO_OPEN) so++;
    }
    totalLo[x] = s;
    totalLoOpen[x] = so;
  }
  // upper end of the restricted share of x from what is known now (sets rv, ro)
  let rv = 0;
  let ro = false;
  const rHi = (x: number): void => {
    let a: number;
    let aOpen: boolean;
    const u = uHiA[x]!;
    const uo = uOpenA[x] === 1;
    const ph = posHi[x]!;
    if (agg) {
      a = ph + u;
      aOpen = posHiOpen[x] === 1 || (uo && u > 0);
    } else if (u > ph || (u === ph && !uo)) {
      a = u;
      aOpen = uo;
    } else {
      a = ph;
      aOpen = posHiOpen[x] === 1;
    }
    const b = FULL_SHARE_ - (totalLo[x]! - posLo[x]!);
    const bOpen = totalLoOpen[x]! - posLoOpen[x]! > 0;
    let v: number, vo: boolean;
    if (a < b) {
      v = a;
      vo = aOpen;
    } else if (b < a) {
      v = b;
      vo = bOpen;
    } else {
      v = a;
      vo = aOpen || bOpen;
    }
    if (v >= FULL_SHARE_) {
      rv = FULL_SHARE_;
      ro = v === FULL_SHARE_ && vo;
    } else if (v <= 0) {
      rv = 0;
      ro = false;
    } else {
      rv = v;
      ro = vo;
    }
  };
  qh = 0;
  qt = 0;
  for (let x = 0; x < n; x++) {
    const c = cls[x]!;
    if (c === ORIGIN || c === C_PERSON_MAYBE_ || inDef[x]) {
      inPos[x] = 1;
      queue[qt++] = x;
    }
  }
  const contribute = (o: number): void => {
    const ee = oStart[o + 1]!;
    for (let e = oStart[o]!; e < ee; e++) {
      const h = oItems[e]!;
      const x = oOwned[h]!;
      if (cls[x] !== NORMAL) continue;
      const f = hFlags[h]!;
      if (f & SHARE) {
        const v = hHi[h]!;
        const vo = (f & HI_OPEN) !== 0;
        if (agg) {
          posHi[x]! += v;
          if (vo) posHiOpen[x] = 1;
        } else if (v > posHi[x]! || (v === posHi[x] && !vo)) {
          posHi[x] = v;
          posHiOpen[x] = vo ? 1 : 0;
        }
        posLo[x]! += hLo[h]!;
        if (f & LO_OPEN) posLoOpen[x]!++;
      }
      if (useControl && f & CONTROL) posControl[x] = 1;
    }
  };
  // Seed contributions, then give every entity its first look (its undisclosed part alone may do).
  const seeded = qt;
  for (let i = 0; i < seeded; i++) contribute(queue[i]!);
  qh = seeded;
  for (let x = 0; x < n; x++) {
    if (inPos[x] || cls[x] !== NORMAL) continue;
    if (!posControl[x]) {
      rHi(x);
      if (!canPassHi(rv, ro, t)) continue;
    }
    inPos[x] = 1;
    queue[qt++] = x;
  }
  while (qh < qt) {
    const o = queue[qh++]!;
    contribute(o);
    const ee = oStart[o + 1]!;
    for (let e = oStart[o]!; e < ee; e++) {
      const x = oOwned[oItems[e]!]!;
      if (inPos[x] || cls[x] !== NORMAL) continue;
      if (!posControl[x]) {
        rHi(x);
        if (!canPassHi(rv, ro, t)) continue;
      }
      inPos[x] = 1;
      queue[qt++] = x;
    }
  }

  const b = newBounds(n);
  const bLo = b.lo;
  const bHi = b.hi;
  const bOpen = b.open;
  const bStatus = b.status;
  for (let x = 0; x < n; x++) {
    const c = cls[x]!;
    if (c === ORIGIN) {
      bLo[x] = FULL_SHARE_;
      bHi[x] = FULL_SHARE_;
    } else if (c === C_PERSON_MAYBE_) {
      bHi[x] = FULL_SHARE_;
    } else if (c === NORMAL) {
      let lo = Math.min(defLo[x]!, FULL_SHARE_);
      let loOpen = defOpen[x] === 1 && lo < FULL_SHARE_;
      rHi(x);
      let hi = rv;
      let hiOpen = ro;
      if (lo > hi || (lo === hi && loOpen && hiOpen)) {
        // inconsistent data (shares over 100%): keep the proven lower end
        hi = lo;
        hiOpen = false;
        loOpen = false;
      }
      bLo[x] = lo;
      bHi[x] = hi;
      bOpen[x] = (loOpen ? 1 : 0) | (hiOpen ? 2 : 0);
    }
    bStatus[x] = inDef[x] ? S_YES : inPos[x] ? S_MAYBE : S_NO;
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Look-through

const U = FULL_SHARE_;

/** floor(a*b/U) with an "open" flag when rounding or open factors make the product strictly larger. */
function mulLo(a: number, aOpen: boolean, b: number, bOpen: boolean, out: { v: number; o: boolean }): void {
  const p = a * b;
  let q = Math.floor(p / U);
  while (q * U > p) q--;
  while ((q + 1) * U <= p) q++;
  out.v = q;
  out.o = q * U !== p || (aOpen && b > 0) || (bOpen && a > 0) || (aOpen && bOpen);
}

function mulHi(a: number, aOpen: boolean, b: number, bOpen: boolean, out: { v: number; o: boolean }): void {
  const p = a * b;
  let q = Math.ceil(p / U);
  while (q * U < p) q++;
  while ((q - 1) * U >= p) q--;
  out.v = q;
  out.o = q * U !== p || (aOpen && b > 0) || (bOpen && a > 0) || (aOpen && bOpen);
}

export interface LookThroughResult extends Bounds {
  /** cyclic components (local indices), for findings */
  cycles: Int32Array[];
  /** components whose iteration hit the cap (bounds sound but wider than 0.01 pp) */
  unconverged: number;
  /** with `keepRaw`: upper ends and open bits before the final consistency clamp (what owned entities read) */
  rawHi?: Int32Array;
  rawOpen?: Uint8Array;
}

export interface LookThroughOptions {
  maxSweeps?: number;
  /** keep the upper ends before the final clamp (for incremental re-evaluation) */
  keepRaw?: boolean;
  /** nodes whose (raw) bounds are given and not solved: boundary nodes of a sub-graph */
  fixed?: { mask: Uint8Array; lo: Int32Array; hi: Int32Array; open: Uint8Array };
}

/** Look-through (multiplicative) method. */
export function lookThroughMethod(cg: CompiledGraph, opts: LookThroughOptions = {}): LookThroughResult {
  const n = cg.n;
  const p = cg.policy;
  const t = threshold(p);
  const agg = p.aggregate;
  const cls = cg.cls;
  const hStart = cg.hStart;
  const hOwner = cg.hOwner;
  const hFlags = cg.hFlags;
  const hLo = cg.hLo;
  const hHi = cg.hHi;
  const uHiA = cg.uHi;
  const uOpenA = cg.uOpen;
  const NORMAL = C_NORMAL_;
  const ORIGIN = C_ORIGIN_;
  const PERSON_MAYBE = C_PERSON_MAYBE_;
  const SHARE = H_SHARE_;
  const LO_OPEN = H_LO_OPEN_;
  const HI_OPEN = H_HI_OPEN_;
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const open = new Uint8Array(n);
  const tmp = { v: 0, o: false };

  // evalLo / evalHi leave their result in ev / evo (no allocation per entity)
  let ev = 0;
  let evo = false;
  const evalLo = (x: number): void => {
    let s = 0;
    let so = false;
    const he = hStart[x + 1]!;
    for (let h = hStart[x]!; h < he; h++) {
      const f = hFlags[h]!;
      if (!(f & SHARE)) continue;
      const o = hOwner[h]!;
      // weight of owner o: lower end
      const c = cls[o]!;
      const w = c === ORIGIN ? U : c === NORMAL ? lo[o]! : 0;
      const wo = c === NORMAL && (open[o]! & 1) === 1;
      mulLo(hLo[h]!, (f & LO_OPEN) !== 0, w, wo, tmp);
      if (agg) {
        s += tmp.v;
        so = so || tmp.o;
      } else if (tmp.v > s || (tmp.v === s && tmp.o)) {
        s = tmp.v;
        so = tmp.o;
      }
    }
    if (s >= U) {
      ev = U;
      evo = false;
    } else {
      ev = s;
      evo = so;
    }
  };
  const evalHi = (x: number): void => {
    let a = 0;
    let ao = false;
    let c = 0;
    let co = false;
    const he = hStart[x + 1]!;
    for (let h = hStart[x]!; h < he; h++) {
      const f = hFlags[h]!;
      if (!(f & SHARE)) continue;
      const o = hOwner[h]!;
      // weight of owner o: upper end
      const k = cls[o]!;
      const w = k === ORIGIN || k === PERSON_MAYBE ? U : k === NORMAL ? hi[o]! : 0;
      const wo = k === NORMAL && (open[o]! & 2) === 2;
      mulHi(hHi[h]!, (f & HI_OPEN) !== 0, w, wo, tmp);
      if (agg) {
        a += tmp.v;
        ao = ao || tmp.o;
      } else if (tmp.v > a || (tmp.v === a && !tmp.o)) {
        a = tmp.v;
        ao = tmp.o;
      }
      // what is provably held outside the restricted part: lo × (1 − wHi)
      mulLo(hLo[h]!, (f & LO_OPEN) !== 0, U - w, wo, tmp);
      c += tmp.v;
      co = co || tmp.o;
    }
    const u = uHiA[x]!;
    const uo = uOpenA[x] === 1;
    if (agg) {
      a += u;
      ao = ao || (uo && u > 0);
    } else if (u > a || (u === a && !uo)) {
      a = u;
      ao = uo;
    }
    const b = U - c;
    let v: number, vo: boolean;
    if (a < b) {
      v = a;
      vo = ao;
    } else if (b < a) {
      v = b;
      vo = co;
    } else {
      v = a;
      vo = ao || co;
    }
    if (v >= U) {
      ev = U;
      evo = v === U && vo;
    } else if (v <= 0) {
      ev = 0;
      evo = false;
    } else {
      ev = v;
      evo = vo;
    }
  };
  /** stores ev/evo as x's lower end; whether it changed */
  const setLo = (x: number): boolean => {
    const old = lo[x]! * 2 + (open[x]! & 1);
    lo[x] = ev;
    open[x] = (open[x]! & 2) | (evo ? 1 : 0);
    return old !== ev * 2 + (evo ? 1 : 0);
  };
  /** stores v/vo as x's upper end; how much it moved */
  const setHi = (x: number, v: number, vo: boolean): number => {
    const change = Math.abs(v - hi[x]!) + ((open[x]! & 2) !== (vo ? 2 : 0) ? 1 : 0);
    hi[x] = v;
    open[x] = (open[x]! & 1) | (vo ? 2 : 0);
    return change;
  };

  // Tarjan's SCC (iterative) along owner edges; components come out owners-first.
  const indexOf = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let cp = 0;
  let counter = 0;
  const cycles: Int32Array[] = [];
  let unconverged = 0;
  const maxSweepsOpt = opts.maxSweeps ?? 100_000;

  const fixed = opts.fixed;
  const fixedMask = fixed ? fixed.mask : null;
  if (fixed) {
    for (let x = 0; x < n; x++) {
      if (fixed.mask[x]) {
        lo[x] = fixed.lo[x]!;
        hi[x] = fixed.hi[x]!;
        open[x] = fixed.open[x]!;
      }
    }
  }

  const solveComponent = (members: Int32Array): void => {
    if (members.length === 1) {
      const x = members[0]!;
      if (cls[x] !== NORMAL) return;
      let selfLoop = false;
      for (let h = hStart[x]!; h < hStart[x + 1]!; h++) if (hOwner[h] === x) selfLoop = true;
      if (!selfLoop) {
        evalLo(x);
        setLo(x);
        evalHi(x);
        setHi(x, ev, evo);
        return;
      }
    }
    cycles.push(members);
    let edges = 0;
    for (const x of members) edges += hStart[x + 1]! - hStart[x]! + 1;
    const maxSweeps = Math.max(64, Math.min(maxSweepsOpt, Math.floor(50_000_000 / edges)));
    // lower ends: Gauss-Seidel from 0; every iterate is below the least fixpoint, so sound
    for (const x of members) {
      lo[x] = 0;
      hi[x] = 0;
      open[x] = 0;
    }
    let sweeps = 0;
    for (let changed = true; changed && sweeps < maxSweeps; sweeps++) {
      changed = false;
      for (const x of members) {
        if (cls[x] !== NORMAL) continue;
        evalLo(x);
        if (setLo(x)) changed = true;
      }
    }
    let capped = sweeps >= maxSweeps;
    // upper ends: iterate from 0 towards the least fixpoint, then certify a post-fixpoint v
    // (F(v) <= v implies lfp <= v), widening the margin until it holds.
    sweeps = 0;
    for (let change = 1; change > 0 && sweeps < maxSweeps; sweeps++) {
      change = 0;
      for (const x of members) {
        if (cls[x] !== NORMAL) continue;
        evalHi(x);
        change = Math.max(change, setHi(x, ev, evo));
      }
    }
    if (sweeps >= maxSweeps) capped = true;
    const base = Array.from(members, (x) => hi[x]!);
    const baseOpen = Array.from(members, (x) => open[x]!);
    // From base + delta, raise every end to max(v, F(v)) until nothing moves: then F(v) <= v.
    for (let delta = 0; ; delta = Math.min(U, delta === 0 ? 1 : delta * 8)) {
      members.forEach((x, i) => {
        hi[x] = Math.min(U, base[i]! + delta);
        open[x] = delta === 0 ? baseOpen[i]! : open[x]! & 1;
      });
      let ok = false;
      for (let round = 0; round < 32 && !ok; round++) {
        ok = true;
        for (const x of members) {
          if (cls[x] !== NORMAL) continue;
          evalHi(x);
          const v = ev;
          const vo = evo;
          if (v > hi[x]! || (v === hi[x] && !vo && (open[x]! & 2) === 2)) {
            ok = false;
            hi[x] = v;
            open[x] = (open[x]! & 1) | (vo ? 2 : 0);
          }
        }
      }
      if (ok || delta >= U) break;
    }
    // One Jacobi step from the certified point stays above the least fixpoint and tightens it.
    const nextV = new Int32Array(members.length);
    const nextO = new Uint8Array(members.length);
    members.forEach((x, i) => {
      if (cls[x] === NORMAL) {
        evalHi(x);
        nextV[i] = ev;
        nextO[i] = evo ? 1 : 0;
      } else {
        nextV[i] = hi[x]!;
        nextO[i] = 0;
      }
    });
    members.forEach((x, i) => setHi(x, nextV[i]!, nextO[i] === 1));
    if (capped) unconverged++;
  };
  const solveSingleton = (x: number): void => {
    if (cls[x] !== NORMAL) return;
    if (fixedMask !== null && fixedMask[x]) return;
    const he = hStart[x + 1]!;
    for (let h = hStart[x]!; h < he; h++) {
      if (hOwner[h] === x) {
        solveComponent(Int32Array.of(x));
        return;
      }
    }
    evalLo(x);
    setLo(x);
    evalHi(x);
    setHi(x, ev, evo);
  };

  for (let root = 0; root < n; root++) {
    if (indexOf[root] !== -1) continue;
    callNode[0] = root;
    callEdge[0] = hStart[root]!;
    cp = 1;
    indexOf[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (cp > 0) {
      const v = callNode[cp - 1]!;
      const e = callEdge[cp - 1]!;
      if (e < hStart[v + 1]!) {
        callEdge[cp - 1] = e + 1;
        const w = hOwner[e]!;
        if (indexOf[w] === -1) {
          indexOf[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[cp] = w;
          callEdge[cp] = hStart[w]!;
          cp++;
        } else if (onStack[w]) {
          if (indexOf[w]! < low[v]!) low[v] = indexOf[w]!;
        }
        continue;
      }
      cp--;
      if (cp > 0) {
        const parent = callNode[cp - 1]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
      if (low[v] === indexOf[v]) {
        if (stack[sp - 1] === v) {
          // singleton component: the common case, no allocation
          sp--;
          onStack[v] = 0;
          solveSingleton(v);
          continue;
        }
        let size = 0;
        while (stack[sp - 1 - size] !== v) size++;
        size++;
        const members = stack.slice(sp - size, sp);
        sp -= size;
        for (const x of members) onStack[x] = 0;
        solveComponent(members);
      }
    }
  }

  const rawHi = opts.keepRaw ? hi.slice() : undefined;
  const rawOpen = opts.keepRaw ? open.slice() : undefined;
  const status = new Uint8Array(n);
  for (let x = 0; x < n; x++) {
    const c = cls[x]!;
    if (c === ORIGIN) {
      lo[x] = U;
      hi[x] = U;
      open[x] = 0;
    } else if (c === PERSON_MAYBE) {
      lo[x] = 0;
      hi[x] = U;
      open[x] = 0;
    } else if (c !== NORMAL) {
      lo[x] = 0;
      hi[x] = 0;
      open[x] = 0;
    } else if (lo[x]! > hi[x]! || (lo[x] === hi[x] && open[x] === 3)) {
      hi[x] = lo[x]!;
      open[x] = 0;
    }
    const o = open[x]!;
    status[x] = statusOf(lo[x]!, (o & 1) === 1, hi[x]!, (o & 2) === 2, t);
  }
  return { lo, hi, open, status, cycles, unconverged, rawHi, rawOpen };
}
