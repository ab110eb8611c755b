// Plain-English pieces of gap and finding sentences: real numbers, never "up to unknown".
import { FULL_SHARE, unitsToPercent } from '../model';

function pctText(units: number): string {
  return `${Number(unitsToPercent(units).toFixed(4))}%`;
}

/** The upper end of an undisclosed part: "all", "up to 40%", "less than 40%". */
export function upToText(hi: number, open: boolean): string {
  if (hi >= FULL_SHARE && !open) return 'all';
  return `${open ? 'less than' : 'up to'} ${pctText(hi)}`;
}
