import { expect } from '@open-wc/testing';
import { defaultResolution, resolutionAllowed, resolutionFit } from './source-resolutions.js';

const sd = { width: 854, height: 480 };
const hd = { width: 1280, height: 720 };
const fullHd = { width: 1920, height: 1080 };
const portraitFullHd = { width: 1080, height: 1920 };
const unknown = { width: null, height: null };

describe('resolutionFit', () => {
  it('compares the short sides of the output and the source', () => {
    expect(resolutionFit('1080p', fullHd)).to.equal('matches');
    expect(resolutionFit('1080p', portraitFullHd)).to.equal('matches');
    expect(resolutionFit('720p', fullHd)).to.equal('downscaled');
    expect(resolutionFit('4k', fullHd)).to.equal('upscaled');
    expect(resolutionFit('720p', sd)).to.equal('upscaled');
  });

  it('calls a source within 1% of the output the same size, as the worker does', () => {
    expect(resolutionFit('1080p', { width: 1916, height: 1076 })).to.equal('matches');
  });

  it('says nothing while the source has not been probed', () => {
    expect(resolutionFit('1080p', unknown)).to.equal('unknown');
    expect(resolutionFit('1080p', undefined)).to.equal('unknown');
  });
});

describe('defaultResolution', () => {
  it('keeps the saved resolution when it does not enlarge the source', () => {
    expect(defaultResolution('720p', fullHd)).to.equal('720p');
    expect(defaultResolution('1080p', fullHd)).to.equal('1080p');
    expect(defaultResolution('1080p', unknown)).to.equal('1080p');
  });

  it('falls back to the largest resolution not above the source', () => {
    expect(defaultResolution('4k', fullHd)).to.equal('1080p');
    expect(defaultResolution('4k', hd)).to.equal('720p');
  });

  it('falls back to the smallest resolution when every one is above the source', () => {
    expect(defaultResolution('1080p', sd)).to.equal('720p');
  });
});

describe('resolutionAllowed', () => {
  it('allows every resolution under allow and warn', () => {
    expect(resolutionAllowed('4k', sd, 'allow')).to.equal(true);
    expect(resolutionAllowed('4k', sd, 'warn')).to.equal(true);
  });

  it('under disable, refuses enlarging ones but keeps the smallest so a small source can be exported', () => {
    expect(resolutionAllowed('4k', fullHd, 'disable')).to.equal(false);
    expect(resolutionAllowed('1080p', fullHd, 'disable')).to.equal(true);
    expect(resolutionAllowed('1080p', sd, 'disable')).to.equal(false);
    expect(resolutionAllowed('720p', sd, 'disable')).to.equal(true);
  });
});

describe('resolutions in another framing', () => {
  const portraitCrop = { framing: '9:16', fit: 'crop' } as const;
  const portraitBars = { framing: '9:16', fit: 'pad' } as const;

  it('calls a landscape source enlarged when cropped to 9:16 at its own resolution, not when fitted with bars', () => {
    expect(resolutionFit('1080p', fullHd, portraitCrop)).to.equal('upscaled');
    expect(resolutionFit('720p', fullHd, portraitCrop)).to.equal('upscaled');
    expect(resolutionFit('1080p', fullHd, portraitBars)).to.equal('downscaled');
    expect(resolutionFit('1080p', fullHd, { framing: 'original', fit: 'crop' })).to.equal('matches');
  });

  it('calls a source already in the framing’s shape the same size, measured after its rotation', () => {
    expect(resolutionFit('1080p', portraitFullHd, portraitCrop)).to.equal('matches');
    expect(resolutionFit('1080p', { ...fullHd, rotation: 90 }, portraitCrop)).to.equal('matches');
    expect(resolutionFit('1080p', fullHd, { framing: '1:1', fit: 'crop' })).to.equal('matches');
    expect(resolutionFit('1080p', fullHd, { framing: '1:1', fit: 'pad' })).to.equal('downscaled');
  });

  it('falls back to a resolution that the framing does not enlarge, and refuses the others under disable', () => {
    const uhd = { width: 3840, height: 2160 };
    expect(defaultResolution('4k', uhd, portraitCrop)).to.equal('1080p');
    expect(resolutionAllowed('4k', uhd, 'disable', portraitCrop)).to.equal(false);
    expect(resolutionAllowed('1080p', uhd, 'disable', portraitCrop)).to.equal(true);
  });
});
