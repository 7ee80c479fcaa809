export { exportJob, probeJob } from './job-settings.js';
export { keepScriptsLoaded } from './script-cache.js';
