import { injectable } from 'inversify';
import type { MemoryBudget } from '../../ports/MemoryBudget.js';

/** The default memory port: each reporter's last figure in a map. */
@injectable()
export class InMemoryBudget implements MemoryBudget {
  private readonly figures = new Map<string, number>();

  report(reporter: string, bytesInUse: number): void {
    this.figures.set(reporter, Math.max(0, bytesInUse));
  }

  inUse(): number {
    let sum = 0;
    for (const bytes of this.figures.values()) sum += bytes;
    return sum;
  }

  snapshot(): ReadonlyMap<string, number> {
    return this.figures;
  }
}
