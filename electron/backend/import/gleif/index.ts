import type { FormatModule } from '../types';

export const gleifFormats: FormatModule[] = [];
