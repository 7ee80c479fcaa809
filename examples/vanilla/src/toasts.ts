// Running exports as toasts at the top of the window, where the person is looking after pressing Export,
// whichever part of the page they have scrolled to. A running or failed export's toast stays until dismissed;
// a finished or cancelled one goes by itself after a few seconds, unless the pointer or the focus is on it
// (to download), so that it does not cover a phone's screen. The Exports tab has them all.

/** How long a finished or cancelled export's toast stays once nobody is pointing at it or focused in it. */
const FINISHED_TOAST_MS = 6000;

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
  // a failed export's toast stays: it says why and offers a retry
  for (const ended of ['export-completed', 'export-cancelled'] as const)
    progress.addEventListener(ended, () => dismissWhenIdle(toast), { once: true });
  area.prepend(toast);
  area.scrollTop = 0;
}

/**
 * Removes `toast` after {@link FINISHED_TOAST_MS}, counted again from whenever the pointer leaves it or the
 * focus moves out of it; `data-lingering` marks a toast that is waiting to go.
 */
function dismissWhenIdle(toast: HTMLElement): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const held = () => toast.matches(':hover') || toast.contains(document.activeElement);
  const wait = () => {
    clearTimeout(timer);
    if (held()) {
      toast.dataset.lingering = 'held';
      return;
    }
    toast.dataset.lingering = 'waiting';
    timer = setTimeout(() => (held() ? wait() : toast.remove()), FINISHED_TOAST_MS);
  };
  const hold = () => {
    clearTimeout(timer);
    toast.dataset.lingering = 'held';
  };
  toast.addEventListener('pointerenter', hold);
  toast.addEventListener('focusin', hold);
  toast.addEventListener('pointerleave', wait);
  // after the focus has moved on (focusout fires before the next element has it)
  toast.addEventListener('focusout', () => setTimeout(wait));
  wait();
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
