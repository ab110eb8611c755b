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
  const cls = cg.cls;

  // DEF
  const inDef = new Uint8Array(n);
  const defLo = new Float64Array(n);
  const defOpen = new Uint8Array(n);
  const queue = new Int32Array(n);
  let qh = 0;
  let qt = 0;
  for (let x = 0; x < n; x++) {
    if (cls[x] === C_ORIGIN || (cls[x] === C_NORMAL && passesLo(0, false, t))) {
      inDef[x] = 1;
      queue[qt++] = x;
    }
  }
  while (qh < qt) {
    const o = queue[qh++]!;
    for (let e = out.start[o]!; e < out.start[o + 1]!; e++) {
      const h = out.items[e]!;
      const x = out.owned[h]!;
      if (cls[x] !== C_NORMAL) continue;
      const f = cg.hFlags[h]!;
      if (f & H_SHARE) {
        const v = cg.hLo[h]!;
        const vo = (f & H_LO_OPEN) !== 0;
        if (agg) {
          defLo[x]! += v;
          if (vo) defOpen[x] = 1;
        } else if (v > defLo[x]! || (v === defLo[x] && vo)) {
          defLo[x] = v;
          defOpen[x] = vo ? 1 : 0;
        }
      }
      if (inDef[x]) continue;
      if ((useControl && f & H_CONTROL) || passesLo(defLo[x]!, defOpen[x] === 1, t)) {
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
    for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++) {
      if (!(cg.hFlags[h]! & H_SHARE)) continue;
      totalLo[x]! += cg.hLo[h]!;
      if (cg.hFlags[h]! & H_LO_OPEN) totalLoOpen[x]!++;
    }
  }
  let rv = 0;
  let ro = false;
  const rHi = (x: number): void => {
    let a: number;
    let aOpen: boolean;
    const u = cg.uHi[x]!;
    const uo = cg.uOpen[x] === 1;
    if (agg) {
      a = posHi[x]! + u;
      aOpen = posHiOpen[x] === 1 || (uo && u > 0);
    } else if (u > posHi[x]! || (u === posHi[x] && !uo)) {
      a = u;
      aOpen = uo;
    } else {
      a = posHi[x]!;
      aOpen = posHiOpen[x] === 1;
    }
    const b = FULL_SHARE - (totalLo[x]! - posLo[x]!);
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
    if (v >= FULL_SHARE) {
      rv = FULL_SHARE;
      ro = v === FULL_SHARE && vo;
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
  const addPos = (x: number): void => {
    inPos[x] = 1;
    queue[qt++] = x;
  };
  for (let x = 0; x < n; x++) if (cls[x] === C_ORIGIN || cls[x] === C_PERSON_MAYBE || inDef[x]) addPos(x);
  const contribute = (o: number): void => {
    for (let e = out.start[o]!; e < out.start[o + 1]!; e++) {
      const h = out.items[e]!;
      const x = out.owned[h]!;
      if (cls[x] !== C_NORMAL) continue;
      const f = cg.hFlags[h]!;
      if (f & H_SHARE) {
        const v = cg.hHi[h]!;
        const vo = (f & H_HI_OPEN) !== 0;
        if (agg) {
          posHi[x]! += v;
          if (vo) posHiOpen[x] = 1;
        } else if (v > posHi[x]! || (v === posHi[x] && !vo)) {
          posHi[x] = v;
          posHiOpen[x] = vo ? 1 : 0;
        }
        posLo[x]! += cg.hLo[h]!;
        if (f & H_LO_OPEN) posLoOpen[x]!++;
      }
      if (useControl && f & H_CONTROL) posControl[x] = 1;
    }
  };
  const check = (x: number): void => {
    if (inPos[x] || cls[x] !== C_NORMAL) return;
    if (posControl[x]) return addPos(x);
    rHi(x);
    if (canPassHi(rv, ro, t)) addPos(x);
  };
  // Seed contributions, then give every entity its first look (its undisclosed part alone may do).
  const seeded = qt;
  for (let i = 0; i < seeded; i++) contribute(queue[i]!);
  qh = seeded;
  for (let x = 0; x < n; x++) check(x);
  while (qh < qt) {
    const o = queue[qh++]!;
    contribute(o);
    for (let e = out.start[o]!; e < out.start[o + 1]!; e++) check(out.owned[out.items[e]!]!);
  }

  const b = newBounds(n);
  for (let x = 0; x < n; x++) {
    const c = cls[x]!;
    if (c === C_ORIGIN) {
      b.lo[x] = FULL_SHARE;
      b.hi[x] = FULL_SHARE;
    } else if (c === C_PERSON_MAYBE) {
      b.hi[x] = FULL_SHARE;
    } else if (c === C_NORMAL) {
      let lo = Math.min(defLo[x]!, FULL_SHARE);
      let loOpen = defOpen[x] === 1 && lo < FULL_SHARE;
      rHi(x);
      let hi = rv;
      let hiOpen = ro;
      if (lo > hi || (lo === hi && loOpen && hiOpen)) {
        // inconsistent data (shares over 100%): keep the proven lower end
        hi = lo;
        hiOpen = false;
        loOpen = false;
      }
      b.lo[x] = lo;
      b.hi[x] = hi;
      b.open[x] = (loOpen ? 1 : 0) | (hiOpen ? 2 : 0);
    }
    b.status[x] = inDef[x] ? S_YES : inPos[x] ? S_MAYBE : S_NO;
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Look-through

const U = FULL_SHARE;

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
}

export interface LookThroughOptions {
  maxSweeps?: number;
}

/** Look-through (multiplicative) method. */
export function lookThroughMethod(cg: CompiledGraph, opts: LookThroughOptions = {}): LookThroughResult {
  const n = cg.n;
  const p = cg.policy;
  const t = threshold(p);
  const agg = p.aggregate;
  const cls = cg.cls;
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const open = new Uint8Array(n);
  const tmp = { v: 0, o: false };

  // Weight of owner o as [wLo, wHi] in units with open flags.
  const wLo = (o: number): number => (cls[o] === C_ORIGIN ? U : cls[o] === C_NORMAL ? lo[o]! : 0);
  const wLoOpen = (o: number): boolean => cls[o] === C_NORMAL && (open[o]! & 1) === 1;
  const wHi = (o: number): number => (cls[o] === C_ORIGIN || cls[o] === C_PERSON_MAYBE ? U : cls[o] === C_NORMAL ? hi[o]! : 0);
  const wHiOpen = (o: number): boolean => cls[o] === C_NORMAL && (open[o]! & 2) === 2;

  const evalLo = (x: number): [number, boolean] => {
    let s = 0;
    let so = false;
    for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++) {
      const f = cg.hFlags[h]!;
      if (!(f & H_SHARE)) continue;
      const o = cg.hOwner[h]!;
      mulLo(cg.hLo[h]!, (f & H_LO_OPEN) !== 0, wLo(o), wLoOpen(o), tmp);
      if (agg) {
        s += tmp.v;
        so = so || tmp.o;
      } else if (tmp.v > s || (tmp.v === s && tmp.o)) {
        s = tmp.v;
        so = tmp.o;
      }
    }
    if (s >= U) return [U, false];
    return [s, so];
  };
  const evalHi = (x: number): [number, boolean] => {
    let a = 0;
    let ao = false;
    let c = 0;
    let co = false;
    for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++) {
      const f = cg.hFlags[h]!;
      if (!(f & H_SHARE)) continue;
      const o = cg.hOwner[h]!;
      const w = wHi(o);
      const wo = wHiOpen(o);
      mulHi(cg.hHi[h]!, (f & H_HI_OPEN) !== 0, w, wo, tmp);
      if (agg) {
        a += tmp.v;
        ao = ao || tmp.o;
      } else if (tmp.v > a || (tmp.v === a && !tmp.o)) {
        a = tmp.v;
        ao = tmp.o;
      }
      // what is provably held outside the restricted part: lo × (1 − wHi)
      mulLo(cg.hLo[h]!, (f & H_LO_OPEN) !== 0, U - w, wo, tmp);
      c += tmp.v;
      co = co || tmp.o;
    }
    const u = cg.uHi[x]!;
    const uo = cg.uOpen[x] === 1;
    if (agg) {
      a += u;
      ao = ao || (uo && u > 0);
    } else if (u > a || (u === a && !uo)) {
      a = u;
      ao = uo;
    }
    const b = U - c;
    let v: number, vo: boolean;
    if (a < b) [v, vo] = [a, ao];
    else if (b < a) [v, vo] = [b, co];
    else [v, vo] = [a, ao || co];
    if (v >= U) return [U, v === U && vo];
    if (v <= 0) return [0, false];
    return [v, vo];
  };
  const setLo = (x: number, v: [number, boolean]): boolean => {
    const old = lo[x]! * 2 + (open[x]! & 1);
    lo[x] = v[0];
    open[x] = (open[x]! & 2) | (v[1] ? 1 : 0);
    return old !== v[0] * 2 + (v[1] ? 1 : 0);
  };
  const setHi = (x: number, v: [number, boolean]): number => {
    const change = Math.abs(v[0] - hi[x]!) + ((open[x]! & 2) !== (v[1] ? 2 : 0) ? 1 : 0);
    hi[x] = v[0];
    open[x] = (open[x]! & 1) | (v[1] ? 2 : 0);
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

  const solveSingleton = (x: number): void => {
    if (cls[x] !== C_NORMAL) return;
    for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++) {
      if (cg.hOwner[h] === x) {
        solveComponent(Int32Array.of(x));
        return;
      }
    }
    setLo(x, evalLo(x));
    setHi(x, evalHi(x));
  };
  const solveComponent = (members: Int32Array): void => {
    if (members.length === 1) {
      const x = members[0]!;
      if (cls[x] !== C_NORMAL) return;
      let selfLoop = false;
      for (let h = cg.hStart[x]!; h < cg.hStart[x + 1]!; h++) if (cg.hOwner[h] === x) selfLoop = true;
      if (!selfLoop) {
        setLo(x, evalLo(x));
        setHi(x, evalHi(x));
        return;
      }
    }
    cycles.push(members);
    let edges = 0;
    for (const x of members) edges += cg.hStart[x + 1]! - cg.hStart[x]! + 1;
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
      for (const x of members) if (cls[x] === C_NORMAL && setLo(x, evalLo(x))) changed = true;
    }
    let capped = sweeps >= maxSweeps;
    // upper ends: iterate from 0 towards the least fixpoint, then certify a post-fixpoint v
    // (F(v) <= v implies lfp <= v), widening the margin until it holds.
    sweeps = 0;
    for (let change = 1; change > 0 && sweeps < maxSweeps; sweeps++) {
      change = 0;
      for (const x of members) if (cls[x] === C_NORMAL) change = Math.max(change, setHi(x, evalHi(x)));
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
          if (cls[x] !== C_NORMAL) continue;
          const [v, vo] = evalHi(x);
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
    const next = Array.from(members, (x): [number, boolean] => (cls[x] === C_NORMAL ? evalHi(x) : [hi[x]!, false]));
    members.forEach((x, i) => setHi(x, next[i]!));
    if (capped) unconverged++;
  };

  for (let root = 0; root < n; root++) {
    if (indexOf[root] !== -1) continue;
    callNode[0] = root;
    callEdge[0] = cg.hStart[root]!;
    cp = 1;
    indexOf[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (cp > 0) {
      const v = callNode[cp - 1]!;
      const e = callEdge[cp - 1]!;
      if (e < cg.hStart[v + 1]!) {
        callEdge[cp - 1] = e + 1;
        const w = cg.hOwner[e]!;
        if (indexOf[w] === -1) {
          indexOf[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[cp] = w;
          callEdge[cp] = cg.hStart[w]!;
          cp++;
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, indexOf[w]!);
        }
        continue;
      }
      cp--;
      if (cp > 0) {
        const parent = callNode[cp - 1]!;
        low[parent] = Math.min(low[parent]!, low[v]!);
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

  const status = new Uint8Array(n);
  for (let x = 0; x < n; x++) {
    const c = cls[x]!;
    if (c === C_ORIGIN) {
      lo[x] = U;
      hi[x] = U;
      open[x] = 0;
    } else if (c === C_PERSON_MAYBE) {
      lo[x] = 0;
      hi[x] = U;
      open[x] = 0;
    } else if (c !== C_NORMAL) {
      lo[x] = 0;
      hi[x] = 0;
      open[x] = 0;
    } else if (lo[x]! > hi[x]! || (lo[x] === hi[x] && open[x] === 3)) {
      hi[x] = lo[x]!;
      open[x] = 0;
    }
    status[x] = statusOf(lo[x]!, (open[x]! & 1) === 1, hi[x]!, (open[x]! & 2) === 2, t);
  }
  return { lo, hi, open, status, cycles, unconverged };
}
