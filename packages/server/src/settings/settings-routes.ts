import { ExportSettings } from '@vexport/sdk';
import { Router } from 'express';
import { currentUser } from '../http/request-context.js';
import { parseRequest } from '../http/validate.js';
import type { SettingsService } from './settings-service.js';

/** `GET` and `PUT /api/me/export-settings`, mounted at `/api/me`. */
export function settingsRoutes(settings: SettingsService): Router {
  const router = Router();
  router.get('/export-settings', async (request, response) => {
    response.json(await settings.get(currentUser(request).userId));
  });
  router.put('/export-settings', async (request, response) => {
    const body = parseRequest(ExportSettings, request.body);
    response.json(await settings.save(currentUser(request).userId, body));
  });
  return router;
}
