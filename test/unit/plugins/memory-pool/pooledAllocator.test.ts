import { expect } from 'chai';
import { Worker } from 'node:worker_threads';
import { transferList } from '../../../../core/encoder/workerProtocol.js';
import type { BatchBuffers } from '../../../../core/ports/TensorAllocator.js';
import { memoryPoolConfigSchema, type MemoryPoolConfig } from '../../../../plugins/memory-pool/config.js';
import { MemoryPoolMetrics } from '../../../../plugins/memory-pool/MemoryPoolMetrics.js';
import { PooledAllocator } from '../../../../plugins/memory-pool/PooledAllocator.js';
import { PoolLeaseError } from '../../../../plugins/memory-pool/PoolLeaseError.js';

const HIDDEN = 384;

function pool(options: Partial<MemoryPoolConfig> = {}): { allocator: PooledAllocator; metrics: MemoryPoolMetrics } {
  const metrics = new MemoryPoolMetrics();
  return { allocator: new PooledAllocator(memoryPoolConfigSchema.parse(options), metrics, HIDDEN), metrics };
}

/** What the inference worker does to the buffers: transfer them away and back. */
function roundTrip(buffers: BatchBuffers): BatchBuffers {
  return structuredClone(buffers, { transfer: transferList(buffers) });
}

/** An echo thread: returns every batch it receives after a random delay, like an inference worker would. */
function echoWorker(): Worker {
  return new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (m) => setTimeout(() => {
       const b = m.buffers;
       parentPort.postMessage(m, [b.inputIds.buffer, b.attentionMask.buffer, b.tokenTypeIds.buffer]);
     }, Math.random() * 3));`,
    { eval: true },
  );
}

describe('PooledAllocator', () => {
  it('serves a returned buffer set to the next batch of the same capacity class', () => {
    const { allocator } = pool();
    const first = allocator.acquire(1000);
    allocator.release(roundTrip(first));

    allocator.acquire(1020);

    expect(allocator.stats()).to.include({ hits: 1, misses: 1, lentBuffers: 1, idleBuffers: 0 });
  });

  it('hands out buffers of at least the requested cells, with a lease id', () => {
    const { allocator } = pool();

    const buffers = allocator.acquire(1100);

    expect(buffers.inputIds.length).to.equal(1280);
    expect(buffers.attentionMask.length).to.equal(1280);
    expect(buffers.tokenTypeIds.length).to.equal(1280);
    expect(buffers.leaseId).to.be.a('number');
    expect(buffers.hiddenStates).to.equal(undefined);
  });

  it('adds a hidden-state buffer sized for the model when outputs are pre-allocated', () => {
    const { allocator } = pool({ preallocateOutputs: true });

    const buffers = allocator.acquire(256);

    expect(buffers.hiddenStates?.length).to.equal(256 * HIDDEN);
  });

  it('rejects a second release of the same lease with a PoolLeaseError', () => {
    const { allocator } = pool();
    const returned = roundTrip(allocator.acquire(300));
    allocator.release(returned);

    expect(() => allocator.release(returned)).to.throw(PoolLeaseError);
  });

  it('rejects buffers it never lent with a PoolLeaseError', () => {
    const { allocator } = pool();
    const foreign: BatchBuffers = { inputIds: new BigInt64Array(256), attentionMask: new BigInt64Array(256), tokenTypeIds: new BigInt64Array(256) };

    expect(() => allocator.release(foreign)).to.throw(PoolLeaseError);
  });

  it('rejects a stale copy of a lease after its buffers were lent again', () => {
    const { allocator } = pool();
    const returned = roundTrip(allocator.acquire(300));
    allocator.release(returned);
    allocator.acquire(300);

    expect(() => allocator.release(returned)).to.throw(PoolLeaseError);
  });

  it('stops counting buffers that come back detached, because their worker died holding them', () => {
    const { allocator } = pool();
    const lent = allocator.acquire(1000);
    roundTrip(lent); // the worker now owns the memory; `lent` is detached

    allocator.release(lent);
    allocator.acquire(1000);

    expect(allocator.stats()).to.include({ hits: 0, misses: 2, idleBuffers: 0 });
    expect(allocator.stats().heldBytes).to.equal(1024 * 24);
  });

  it('frees the least recently used idle buffers to stay within its byte budget', () => {
    const { allocator } = pool({ maxBytes: 4096 * 24 });
    const lent = [allocator.acquire(1024), allocator.acquire(1280), allocator.acquire(1536)];
    for (const buffers of lent) allocator.release(roundTrip(buffers)); // idle, oldest first: 1024, 1280, 1536

    allocator.acquire(2048);

    expect(allocator.stats()).to.include({ idleBuffers: 1, heldBytes: (1536 + 2048) * 24 });
    allocator.acquire(1536);
    expect(allocator.stats().hits).to.equal(1);
  });

  it('lends beyond its budget rather than make a batch wait, and drops the surplus when it returns', () => {
    const { allocator } = pool({ maxBytes: 1024 * 24 });
    const a = allocator.acquire(1024);
    const b = allocator.acquire(1024);

    allocator.release(roundTrip(a));
    allocator.release(roundTrip(b));

    expect(allocator.stats()).to.include({ idleBuffers: 1, heldBytes: 1024 * 24 });
  });

  it('never lends one buffer to two batches at once while 16 batches at a time cross a real thread boundary', async () => {
    const { allocator } = pool();
    const worker = echoWorker();
    const replies = new Map<number, (buffers: BatchBuffers) => void>();
    worker.on('message', (m: { job: number; buffers: BatchBuffers }) => replies.get(m.job)!(m.buffers));
    const outstanding = new Set<number>();
    let nextJob = 0;
    let mostAtOnce = 0;
    const runBatches = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const job = nextJob++;
        const buffers = allocator.acquire(200 + ((job * 7919) % 3000));
        expect(buffers.inputIds.byteLength, 'a lent buffer must not be detached').to.be.greaterThan(0);
        expect(outstanding.has(buffers.leaseId!), `lease ${buffers.leaseId} lent twice`).to.equal(false);
        outstanding.add(buffers.leaseId!);
        mostAtOnce = Math.max(mostAtOnce, outstanding.size);
        const stamp = BigInt(job);
        buffers.inputIds.fill(stamp);
        await new Promise((resolve) => setImmediate(resolve)); // let the other batches acquire in between
        const back = new Promise<BatchBuffers>((resolve) => replies.set(job, resolve));
        worker.postMessage({ job, buffers }, transferList(buffers));
        const returned = await back;
        expect(returned.inputIds.every((v) => v === stamp), `batch ${job} found another batch's data in its buffer`).to.equal(true);
        outstanding.delete(returned.leaseId!);
        allocator.release(returned);
      }
    };

    try {
      await Promise.all(Array.from({ length: 16 }, () => runBatches(40)));
    } finally {
      await worker.terminate();
    }

    const stats = allocator.stats();
    expect(mostAtOnce).to.equal(16);
    expect(stats.lentBuffers).to.equal(0);
    expect(stats.inUseBytes).to.equal(0);
    expect(stats.hits).to.be.greaterThan(stats.misses);
  });

  it('exposes hits, misses, bytes held and in use, fragmentation and allocation time under their dashboard names', async () => {
    const { allocator, metrics } = pool();
    allocator.release(roundTrip(allocator.acquire(1000)));
    allocator.acquire(1000);

    const text = await metrics.registry.metrics();

    expect(text).to.match(/^embedline_memory_pool_hits_total 1$/m);
    expect(text).to.match(/^embedline_memory_pool_misses_total 1$/m);
    expect(text).to.match(/^embedline_memory_pool_bytes_held 24576$/m);
    expect(text).to.match(/^embedline_memory_pool_bytes_in_use 24000$/m);
    expect(text).to.match(/^embedline_memory_pool_fragmentation_ratio 0\.0234375$/m);
    expect(text).to.match(/^embedline_memory_pool_allocation_seconds_count 2$/m);
  });
});
