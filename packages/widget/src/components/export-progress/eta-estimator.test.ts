import { expect } from '@open-wc/testing';
import { EtaEstimator } from './eta-estimator.js';

/** The estimates after each of `samples` ([percent, seconds]). */
function estimates(samples: [number, number][]): (number | undefined)[] {
  const estimator = new EtaEstimator();
  return samples.map(([progress, at]) => {
    estimator.add(progress, at);
    return estimator.secondsLeft;
  });
}

describe('EtaEstimator', () => {
  it('knows nothing from one measurement, then estimates from the measured rate', () => {
    expect(
      estimates([
        [10, 0],
        [20, 10],
      ]),
    ).to.deep.equal([undefined, 80]);
  });

  it('never grows while progress advances, also through a slow stretch (16 → 24 % of the issue)', () => {
    const seen = estimates([
      [10, 0],
      [16, 3],
      [20, 9],
      [24, 21],
      [26, 30],
      [40, 36],
      [60, 42],
    ]);
    const known = seen.filter((value): value is number => value !== undefined);
    expect(known).to.have.length(6);
    for (let index = 1; index < known.length; index += 1) {
      expect(known[index]!).to.be.at.most(known[index - 1]!);
    }
    expect(known.at(-1)!).to.be.below(known[0]!);
  });

  it('counts a stall between two advances into the measured rate', () => {
    const estimator = new EtaEstimator();
    estimator.add(0, 0);
    estimator.add(0, 10);
    estimator.add(10, 20);
    // 10 % in the 20 s since progress last moved (0.5 %/s), not in the 10 s since the repeated value
    expect(estimator.secondsLeft).to.equal(180);
  });

  it('shows nothing until progress has moved 3 % over 2 s, so a quick first step does not promise 0:00', () => {
    const seen = estimates([
      [0, 0],
      [30, 0.05],
      [31, 3],
    ]);
    expect(seen.slice(0, 2)).to.deep.equal([undefined, undefined]);
    expect(seen[2]!).to.be.above(5);
  });

  it('counts down with the clock between measurements', () => {
    const estimator = new EtaEstimator();
    estimator.add(10, 0);
    estimator.add(20, 10);
    expect(estimator.secondsLeftAt(15)).to.equal(75);
    expect(estimator.secondsLeftAt(60)).to.equal(30);
  });

  it('is unknown once a stall outlasts the countdown, and rises when progress moves again', () => {
    const estimator = new EtaEstimator();
    estimator.add(10, 0);
    estimator.add(20, 10);
    estimator.add(20, 50);
    expect(estimator.secondsLeftAt(95)).to.equal(undefined);
    estimator.add(21, 100);
    expect(estimator.secondsLeft!).to.be.above(80);
  });

  it('starts over when progress goes back (the export was handed to another worker)', () => {
    expect(
      estimates([
        [50, 0],
        [60, 10],
        [5, 20],
      ]).at(-1),
    ).to.equal(undefined);
  });

  it('refuses a smoothing weight outside (0, 1]', () => {
    expect(() => new EtaEstimator(0)).to.throw(RangeError, /smoothing/);
  });
});
