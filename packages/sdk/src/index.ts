/**
 * @vexport/sdk — the single source of truth for vexport's enums, schemas and error codes,
 * shared by the API, the workers, the widget and host apps.
 */
export * from './contract/index.js';
export * from './client/index.js';
