export { loadWorkerConfig, ConfigError, type WorkerConfig } from './config.js';
export { readFfmpegVersion, parseFfmpegVersion } from './ffmpeg/ffmpeg-version.js';
export { startHeartbeat, type Heartbeat } from './heartbeat/heartbeat.js';
export { renderExport, type RenderInput, type RenderTools } from './jobs/render-export.js';
export { probeFile, probeSource } from './ffmpeg/ffprobe.js';
export { planExport, type ExportPlan, type ExportRequest } from './media/plan-export.js';
export { countVideoPackets } from './ffmpeg/cut-checks.js';
export { chooseH264Encoder } from './ffmpeg/detect-encoders.js';
export { SEEK_BEFORE_FRAME } from './media/ffmpeg-arguments.js';
