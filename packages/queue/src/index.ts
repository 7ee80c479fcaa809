export { chunkJob, exportJob, probeJob } from './job-settings.js';
export { listLiveWorkers } from './live-workers.js';
export { keepScriptsLoaded } from './script-cache.js';
export { queueSettings } from './queue-settings.js';
export { PROGRESS_TTL_SECONDS, writeExportProgress, type OwnedProgress } from './progress-writer.js';
