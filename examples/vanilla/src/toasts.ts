// Running exports as toasts at the top of the window, where the person is looking after pressing Export,
// whichever part of the page they have scrolled to. Each stays until dismissed; the Exports tab has them all.

/** What the toast says about the export it follows. */
export interface ToastSubject {
  exportId: string;
  videoName: string;
  poster: string;
}

/** Adds a compact `<export-progress>` toast for an export to `area`, newest first. */
export function showExportToast(area: HTMLElement, subject: ToastSubject): void {
  const toast = document.createElement('div');
  toast.className = 'toast';
  const progress = document.createElement('export-progress');
  progress.compact = true;
  progress.notify = true;
  progress.exportId = subject.exportId;
  progress.videoName = subject.videoName;
  progress.poster = subject.poster;
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.className = 'dismiss';
  dismiss.textContent = '✕';
  dismiss.setAttribute('aria-label', `Dismiss the export of ${subject.videoName}`);
  dismiss.addEventListener('click', () => toast.remove());
  toast.append(progress, dismiss);
  area.prepend(toast);
  area.scrollTop = 0;
}

/** A still of what `video` shows now, for a toast's poster; empty when the video cannot be drawn. */
export function posterOf(video: HTMLVideoElement): string {
  if (video.readyState < 2 || video.videoWidth === 0) return '';
  const canvas = document.createElement('canvas');
  canvas.height = 90;
  canvas.width = Math.round((90 * video.videoWidth) / video.videoHeight);
  try {
    canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/jpeg', 0.7);
  } catch {
    // a source on another origin without CORS cannot be read back
    return '';
  }
}
