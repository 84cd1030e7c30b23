import { expect } from 'chai';
import { sessionStartError } from '../../../../core/encoder/sessionStartError.js';
import { DEFAULT_SESSION_TUNING } from '../../../../core/encoder/sessionTuning.js';
import type { WorkerInit } from '../../../../core/encoder/workerProtocol.js';

const init = (executionProviders: string[]): WorkerInit => ({ modelPath: '/models/m.onnx', tuning: { ...DEFAULT_SESSION_TUNING, executionProviders }, dimensions: 384 });

// onnxruntime-node 1.30's own messages, copied from a machine without a GPU.
const NO_ADAPTER = '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n';
const NO_CUDA = 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library';

describe('sessionStartError', () => {
  it('reports a missing WebGPU adapter as EMBEDLINE_DEVICE_UNAVAILABLE', () => {
    const error = sessionStartError(init(['webgpu']), NO_ADAPTER);
    expect(error.code).to.equal('EMBEDLINE_DEVICE_UNAVAILABLE');
    expect(error.message).to.include('Failed to get a WebGPU adapter: No supported adapters');
    expect(error.context).to.deep.include({ executionProviders: ['webgpu'] });
  });

  it('reports a CUDA provider library that is not installed as EMBEDLINE_DEVICE_UNAVAILABLE', () => {
    expect(sessionStartError(init(['cuda', 'cpu']), NO_CUDA).code).to.equal('EMBEDLINE_DEVICE_UNAVAILABLE');
  });

  it('keeps other start failures as EMBEDLINE_INFERENCE', () => {
    expect(sessionStartError(init(['webgpu']), 'Load model from /models/m.onnx failed: Protobuf parsing failed.').code).to.equal('EMBEDLINE_INFERENCE');
  });

  it('never blames a device when only the CPU was asked for', () => {
    expect(sessionStartError(init(['cpu']), NO_ADAPTER).code).to.equal('EMBEDLINE_INFERENCE');
  });
});
