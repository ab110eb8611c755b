export * from './audit.js';
export * from './cases.js';
export * from './rows.js';
export * from './verify-audit.js';
export { produceCaseReport } from './report.js';
export * from './investigator.js';
export * from './timeline.js';
export * from './subject.js';
