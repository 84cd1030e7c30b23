import { expect } from 'chai';
import { budgetRemaining, burnRate, sliRatio } from '../../../../plugins/slo-tracker/burnMath.js';

describe('error-budget arithmetic', () => {
  it('burns at 1x when the bad share equals the allowed share', () => {
    expect(burnRate({ valid: 1000, bad: 1 }, 0.999)).to.be.closeTo(1, 1e-9);
  });

  it('burns at 14.4x when 1.44 % of requests fail against a 99.9 % objective', () => {
    expect(burnRate({ valid: 10_000, bad: 144 }, 0.999)).to.be.closeTo(14.4, 1e-9);
  });

  it('burns ten times slower for the same failures against a 99 % objective', () => {
    expect(burnRate({ valid: 10_000, bad: 144 }, 0.99)).to.be.closeTo(1.44, 1e-9);
  });

  it('leaves 75 % of the budget after a quarter of it is spent', () => {
    expect(budgetRemaining({ valid: 4000, bad: 1 }, 0.999)).to.be.closeTo(0.75, 1e-9);
  });

  it('goes negative once the objective is missed', () => {
    expect(budgetRemaining({ valid: 100, bad: 10 }, 0.95)).to.be.closeTo(-1, 1e-9);
  });

  it('treats a window without valid events as fully good and not burning', () => {
    expect(sliRatio({ valid: 0, bad: 0 })).to.equal(1);
    expect(burnRate({ valid: 0, bad: 0 }, 0.999)).to.equal(0);
    expect(budgetRemaining({ valid: 0, bad: 0 }, 0.999)).to.equal(1);
  });

  it('gives the good share as the SLI', () => {
    expect(sliRatio({ valid: 200, bad: 10 })).to.be.closeTo(0.95, 1e-9);
  });
});
