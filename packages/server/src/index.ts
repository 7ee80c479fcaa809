export { createApp, type AppDependencies } from './app.js';
export { loadServerConfig, ConfigError, type ServerConfig } from './config.js';
export { createRedis } from './redis.js';
export {
  DEFAULT_DEVELOPMENT_TOKEN_LIFETIME_SECONDS,
  DevelopmentTokenError,
  signDevelopmentToken,
  type DevelopmentTokenOptions,
} from './auth/dev-token.js';
export { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './auth/token-rules.js';
export { SERVER_VERSION } from './version.js';
