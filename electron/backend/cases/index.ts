export * from './audit.js';
export * from './cases.js';
export * from './rows.js';
export * from './verify-audit.js';
export { produceCaseReport } from './report.js';
