export * from './audit.js';
export * from './cases.js';
export { produceCaseReport } from './report.js';
