export { loadWorkerConfig, ConfigError, type WorkerConfig } from './config.js';
export { readFfmpegVersion, parseFfmpegVersion } from './ffmpeg/ffmpeg-version.js';
export { startHeartbeat, type Heartbeat } from './heartbeat/heartbeat.js';
