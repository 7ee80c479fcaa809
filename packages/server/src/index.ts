export { createApp, type AppDependencies } from './app.js';
export { loadServerConfig, ConfigError, type ServerConfig } from './config.js';
export { createRedis } from './redis.js';
export { signDevelopmentToken, type DevelopmentTokenOptions } from './auth/dev-token.js';
export { SERVER_VERSION } from './version.js';
