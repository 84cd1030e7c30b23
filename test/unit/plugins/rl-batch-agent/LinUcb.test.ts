import { expect } from 'chai';
import { LinUcb } from '../../../../plugins/rl-batch-agent/LinUcb.js';
import { seededRandom } from '../predictive-batch-size/costCurveDevice.js';

/** Five arms, two context features beyond the bias; which arm is best depends on the context. */
const TRUE_WEIGHTS = [
  [0.5, 0.2, 0.0],
  [0.3, 0.6, 0.0],
  [0.2, 0.0, 0.7],
  [0.4, 0.1, 0.1],
  [0.1, 0.3, 0.3],
];
const trueReward = (arm: number, x: readonly number[]): number => TRUE_WEIGHTS[arm]!.reduce((sum, w, i) => sum + w * x[i]!, 0);

function play(rounds: number, seed: number): { regret: number[]; chosen: number[]; best: number[] } {
  const random = seededRandom(seed);
  const bandit = new LinUcb(TRUE_WEIGHTS.length, 3, 0.5);
  const regret: number[] = [];
  const chosen: number[] = [];
  const best: number[] = [];
  for (let t = 0; t < rounds; t++) {
    const x = [1, random(), random()];
    const arm = bandit.choose(x).optimistic;
    const rewards = TRUE_WEIGHTS.map((_, a) => trueReward(a, x));
    const bestArm = rewards.indexOf(Math.max(...rewards));
    bandit.update(arm, x, trueReward(arm, x) + 0.1 * (random() - 0.5));
    regret.push(rewards[bestArm]! - rewards[arm]!);
    chosen.push(arm);
    best.push(bestArm);
  }
  return { regret, chosen, best };
}

describe('rl-batch-agent LinUcb', () => {
  it('accumulates regret sublinearly: the last quarter of 4000 rounds costs under a third of the first', () => {
    const { regret } = play(4000, 21);
    const quarter = (q: number): number => regret.slice(q * 1000, (q + 1) * 1000).reduce((a, b) => a + b, 0);

    expect(quarter(3)).to.be.below(quarter(0) / 3);
  });

  it('plays the best arm for the context in at least 90% of the last 1000 rounds', () => {
    const { chosen, best } = play(4000, 22);
    const right = chosen.slice(3000).filter((arm, i) => arm === best[3000 + i]).length;

    expect(right).to.be.at.least(900);
  });

  it('reports as greedy the arm with the best mean among those played', () => {
    const bandit = new LinUcb(3, 1, 0.5);
    bandit.update(0, [1], 0.2);
    bandit.update(1, [1], 0.9);

    expect(bandit.choose([1]).greedy).to.equal(1);
    expect(bandit.mean(1, [1])).to.be.closeTo(0.45, 1e-9);
  });
});
