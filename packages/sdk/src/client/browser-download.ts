import { VexportError } from './errors.js';

/** The part of `document` a download needs; a page has it, Node has no `document` at all. */
type Page = Pick<Document, 'createElement'>;

/** The page to start a download on, or a VexportError telling a caller outside a browser what to use instead. */
export function currentPage(): Page {
  const page = (globalThis as { document?: Page }).document;
  if (!page) {
    throw new VexportError(
      'downloadExport starts a download in a web browser, and there is no page here. ' +
        'In Node, call saveExport(exportId, path) to write the file to disk.',
      0,
      'unsupported_environment',
    );
  }
  return page;
}

/**
 * Starts the browser's download of `url` through a link click. The `download` attribute asks for a download
 * rather than navigation on the same origin; cross-origin links (S3) download because the file is served
 * as an attachment, under the name the server gives.
 */
export function startBrowserDownload(page: Page, url: string): void {
  const link = page.createElement('a');
  link.href = url;
  link.download = '';
  link.rel = 'noopener';
  link.click();
}
