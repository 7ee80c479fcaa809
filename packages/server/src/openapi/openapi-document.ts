import {
  Export,
  ExportCreateRequest,
  ExportDownload,
  ExportEstimate,
  ExportEstimateQuery,
  ExportList,
  ExportListQuery,
  ExportProgress,
  ExportSettings,
  HealthReport,
  Problem,
  Video,
  VideoList,
  VideoListQuery,
  VideoRegisterRequest,
} from '@vexport/sdk';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;
type Method = 'get' | 'post' | 'put' | 'delete';

/** Named schemas, each one a component of the document. */
const components = {
  Export,
  ExportCreateRequest,
  ExportDownload,
  ExportEstimate,
  ExportList,
  ExportProgress,
  ExportSettings,
  HealthReport,
  Problem,
  Video,
  VideoList,
  VideoRegisterRequest,
} as const;
type ComponentName = keyof typeof components;

interface ResponseDoc {
  description: string;
  schema?: ComponentName;
  contentType?: string;
}

interface OperationDoc {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  tag: 'health' | 'videos' | 'exports' | 'settings' | 'files';
  /** False for the routes that need no bearer token. */
  authenticated?: boolean;
  pathParameters?: string[];
  query?: z.ZodObject;
  headers?: { name: string; description: string }[];
  body?: { schema: ComponentName; multipart?: boolean };
  responses: Record<number, ResponseDoc>;
}

const problem = (description: string): ResponseDoc => ({
  description,
  schema: 'Problem',
  contentType: 'application/problem+json',
});
const unauthorized = { 401: problem('Missing, expired or invalid bearer token') };
const notFound = { 404: problem('No such record for this user') };

/** Every route the API serves; a test checks this list against the routes Express actually has. */
const operations: OperationDoc[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'getHealth',
    summary: 'Liveness, with the versions of PostgreSQL, Redis and the workers’ ffmpeg',
    tag: 'health',
    authenticated: false,
    responses: { 200: { description: 'The API is running', schema: 'HealthReport' } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness: PostgreSQL and Redis answer',
    tag: 'health',
    authenticated: false,
    responses: { 200: { description: 'Ready' }, 503: problem('A dependency cannot be reached') },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    tag: 'health',
    authenticated: false,
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
  {
    method: 'post',
    path: '/api/videos',
    operationId: 'registerVideo',
    summary: 'Register a source video: upload it (multipart, field `file`) or name a URL or storage key',
    tag: 'videos',
    body: { schema: 'VideoRegisterRequest', multipart: true },
    responses: {
      201: { description: 'Registered; its probe is queued', schema: 'Video' },
      ...unauthorized,
      413: problem('The upload is larger than allowed'),
      415: problem('Neither JSON nor multipart'),
      422: problem('Invalid fields, or a refused source URL'),
      429: problem('Too many videos added this hour, or the upload passes the daily byte allowance'),
    },
  },
  {
    method: 'get',
    path: '/api/videos',
    operationId: 'listVideos',
    summary: 'The user’s videos, newest first',
    tag: 'videos',
    query: VideoListQuery,
    responses: { 200: { description: 'One page', schema: 'VideoList' }, ...unauthorized },
  },
  {
    method: 'get',
    path: '/api/videos/{videoId}',
    operationId: 'getVideo',
    summary: 'One video with its probed metadata',
    tag: 'videos',
    pathParameters: ['videoId'],
    responses: { 200: { description: 'The video', schema: 'Video' }, ...unauthorized, ...notFound },
  },
  {
    method: 'get',
    path: '/api/videos/{videoId}/source',
    operationId: 'getVideoSourceUrl',
    summary: 'A time-limited URL of the source file, for playing it in an editor',
    tag: 'videos',
    pathParameters: ['videoId'],
    responses: {
      200: { description: 'The URL and its expiry', schema: 'ExportDownload' },
      ...unauthorized,
      ...notFound,
      409: problem('The video has not been analysed yet'),
    },
  },
  {
    method: 'delete',
    path: '/api/videos/{videoId}',
    operationId: 'deleteVideo',
    summary: 'Delete a video, its exports and their files (running exports are cancelled)',
    tag: 'videos',
    pathParameters: ['videoId'],
    responses: { 204: { description: 'Deleted' }, ...unauthorized, ...notFound },
  },
  {
    method: 'post',
    path: '/api/videos/{videoId}/export',
    operationId: 'createExport',
    summary: 'Start an export of segments of a video',
    tag: 'exports',
    pathParameters: ['videoId'],
    headers: [{ name: 'Idempotency-Key', description: 'Same key and body: the same export, queued once' }],
    body: { schema: 'ExportCreateRequest' },
    responses: {
      202: { description: 'Queued (or replayed for a known Idempotency-Key)', schema: 'Export' },
      ...unauthorized,
      ...notFound,
      409: problem('The video is not ready'),
      422: problem('Invalid fields, segments outside the video, or a reused Idempotency-Key'),
      429: problem('Too many exports started this hour'),
    },
  },
  {
    method: 'get',
    path: '/api/videos/{videoId}/exports',
    operationId: 'listVideoExports',
    summary: 'Exports of one video',
    tag: 'exports',
    pathParameters: ['videoId'],
    query: ExportListQuery,
    responses: { 200: { description: 'One page', schema: 'ExportList' }, ...unauthorized, ...notFound },
  },
  {
    method: 'get',
    path: '/api/exports',
    operationId: 'listExports',
    summary: 'All of the user’s exports',
    tag: 'exports',
    query: ExportListQuery,
    responses: { 200: { description: 'One page', schema: 'ExportList' }, ...unauthorized },
  },
  {
    method: 'get',
    path: '/api/exports/estimate',
    operationId: 'estimateExport',
    summary:
      'The size and time an export would take: time from the workers’ measured speed for that kind of export, or a default before any was measured (`basis`)',
    tag: 'exports',
    query: ExportEstimateQuery,
    responses: {
      200: { description: 'The estimate', schema: 'ExportEstimate' },
      ...unauthorized,
      ...notFound,
      422: problem('Invalid or missing query parameters'),
    },
  },
  {
    method: 'get',
    path: '/api/exports/{exportId}',
    operationId: 'getExport',
    summary: 'One export',
    tag: 'exports',
    pathParameters: ['exportId'],
    responses: { 200: { description: 'The export', schema: 'Export' }, ...unauthorized, ...notFound },
  },
  {
    method: 'delete',
    path: '/api/exports/{exportId}',
    operationId: 'cancelOrDeleteExport',
    summary: 'Cancel a pending or processing export, or delete a finished one with its files',
    tag: 'exports',
    pathParameters: ['exportId'],
    responses: {
      200: { description: 'Cancelled', schema: 'Export' },
      204: { description: 'Deleted' },
      ...unauthorized,
      ...notFound,
      409: problem('It finished before it could be cancelled'),
    },
  },
  {
    method: 'post',
    path: '/api/exports/{exportId}/cancel',
    operationId: 'cancelExport',
    summary:
      'Cancel a pending or processing export; idempotent (a cancelled one is answered as it is), never deletes',
    tag: 'exports',
    pathParameters: ['exportId'],
    responses: {
      200: { description: 'Cancelled (now or before)', schema: 'Export' },
      ...unauthorized,
      ...notFound,
      409: problem('It has completed or failed; nothing is cancelled or deleted'),
    },
  },
  {
    method: 'get',
    path: '/api/exports/{exportId}/progress',
    operationId: 'getExportProgress',
    summary: 'Current progress, stage and ETA',
    tag: 'exports',
    pathParameters: ['exportId'],
    responses: { 200: { description: 'Progress', schema: 'ExportProgress' }, ...unauthorized, ...notFound },
  },
  {
    method: 'get',
    path: '/api/exports/{exportId}/events',
    operationId: 'streamExportProgress',
    summary: 'Server-Sent Events (`event: progress`) until the export reaches a terminal status',
    tag: 'exports',
    pathParameters: ['exportId'],
    responses: {
      200: { description: 'An event stream of progress objects', contentType: 'text/event-stream' },
      ...unauthorized,
      ...notFound,
      429: problem('The user already has as many progress streams open as allowed'),
    },
  },
  {
    method: 'get',
    path: '/api/exports/{exportId}/download',
    operationId: 'getExportDownload',
    summary: 'A time-limited URL of the finished file (a ZIP for clips)',
    tag: 'exports',
    pathParameters: ['exportId'],
    responses: {
      200: { description: 'The URL and its expiry', schema: 'ExportDownload' },
      ...unauthorized,
      ...notFound,
      409: problem('Not completed'),
    },
  },
  {
    method: 'get',
    path: '/api/files/{key}',
    operationId: 'getSignedFile',
    summary: 'A stored file behind a signed, expiring link (local-disk storage)',
    tag: 'files',
    authenticated: false,
    pathParameters: ['key'],
    responses: {
      200: { description: 'The file', contentType: 'application/octet-stream' },
      403: problem('The link expired or is invalid'),
    },
  },
  {
    method: 'get',
    path: '/api/me/export-settings',
    operationId: 'getExportSettings',
    summary: 'The user’s export defaults and custom presets',
    tag: 'settings',
    responses: { 200: { description: 'Settings', schema: 'ExportSettings' }, ...unauthorized },
  },
  {
    method: 'put',
    path: '/api/me/export-settings',
    operationId: 'saveExportSettings',
    summary: 'Replace the user’s export defaults and custom presets',
    tag: 'settings',
    body: { schema: 'ExportSettings' },
    responses: {
      200: { description: 'What is now stored', schema: 'ExportSettings' },
      ...unauthorized,
      422: problem('Invalid fields'),
    },
  },
];

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parametersOf(operation: OperationDoc): JsonSchema[] {
  const path = (operation.pathParameters ?? []).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: name === 'key' ? { type: 'string' } : { type: 'string', format: 'uuid' },
  }));
  const querySchema = operation.query ? toSchema(operation.query, 'input') : {};
  const queryShape = (querySchema.properties ?? {}) as Record<string, JsonSchema>;
  const requiredNames = (querySchema.required ?? []) as string[];
  const query = Object.entries(queryShape).map(([name, schema]) => ({
    name,
    in: 'query',
    required: requiredNames.includes(name),
    schema,
  }));
  const headers = (operation.headers ?? []).map(({ name, description }) => ({
    name,
    in: 'header',
    required: false,
    description,
    schema: { type: 'string', maxLength: 255 },
  }));
  return [...path, ...query, ...headers];
}

function requestBodyOf(body: NonNullable<OperationDoc['body']>): JsonSchema {
  const content: JsonSchema = { 'application/json': { schema: ref(body.schema) } };
  if (body.multipart) {
    content['multipart/form-data'] = {
      schema: {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', format: 'binary' }, title: { type: 'string', maxLength: 200 } },
      },
    };
  }
  return { required: true, content };
}

function responsesOf(responses: OperationDoc['responses']): JsonSchema {
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => {
      const contentType = response.contentType ?? 'application/json';
      const schema = response.schema ? ref(response.schema) : { type: 'string' };
      const withContent = response.schema || response.contentType;
      return [
        status,
        { description: response.description, ...(withContent && { content: { [contentType]: { schema } } }) },
      ];
    }),
  );
}

/** The OpenAPI 3.1 document of the API, generated from the contract's zod schemas. */
export function buildOpenApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const operation of operations) {
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = {
      operationId: operation.operationId,
      summary: operation.summary,
      tags: [operation.tag],
      ...(operation.authenticated === false && { security: [] }),
      parameters: parametersOf(operation),
      ...(operation.body && { requestBody: requestBodyOf(operation.body) }),
      responses: responsesOf(operation.responses),
    };
  }
  const schemas = Object.fromEntries(
    Object.entries(components).map(([name, schema]) => [
      name,
      toSchema(schema, name.endsWith('Request') ? 'input' : 'output'),
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'vexport API',
      version,
      description: 'Video exports: register sources, export segments, follow progress, download results.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    tags: ['health', 'videos', 'exports', 'settings', 'files'].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
