"""PyTorch fp16 on the same card, same shapes and same texts, for the ratio to onnxruntime-node.

Run by run-gpu-bench.sh after gpuBench.js:
    python3 torchBench.py --config config.json --data DIR --ort-results ort.json [--batches 32,128,512]

The BERT is built from the model's config.json with random weights: speed does not depend on
the weight values, and the GPU machine has no copy of the checkpoint. Two numbers per shape:
`device` keeps inputs and outputs on the GPU (the ceiling), `host io` uploads int64 inputs and
downloads float32 hidden states every batch, as onnxruntime-node does, so that one is the fair
comparison.
"""

import argparse
import json
import sys
import time


def main() -> int:
    args = parse_args()
    try:
        import torch
        from transformers import AutoModel, BertConfig
    except ImportError as error:
        print(f"[torch] skipped: {error}")
        return 0
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    dtype = torch.float16 if device == "cuda" else torch.float32
    config = BertConfig.from_json_file(args.config)
    try:
        model = AutoModel.from_config(config, attn_implementation="sdpa")
    except (TypeError, ValueError):
        model = AutoModel.from_config(config)
    model = model.to(device=device, dtype=dtype).eval()
    name = torch.cuda.get_device_name() if device == "cuda" else "cpu"
    print(f"[torch] {torch.__version__} on {name}, {dtype}, attention {getattr(model.config, '_attn_implementation', '?')}")

    results = {"device": name, "dtype": str(dtype), "shapes": []}
    with torch.inference_mode():
        for batch in [int(b) for b in args.batches.split(",")]:
            shape = time_shape(torch, model, device, batch, args.seq, args.min_seconds)
            results["shapes"].append(shape)
            print(f"[torch] bs {batch} × seq {args.seq}: {shape['hostIoSeqPerSec']:.0f} seq/s with host io, {shape['deviceSeqPerSec']:.0f} seq/s on device")
        results["realText"] = time_texts(torch, model, device, args.data, args.text_batch, args.texts)
        print(f"[torch] real text: {results['realText']['textsPerSec']:.0f} texts/s with host io")
    print_ratios(args.ort_results, results)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
    return 0


def time_shape(torch, model, device, batch, seq, min_seconds):
    generator = torch.Generator().manual_seed(7)
    ids = torch.randint(1000, 30000, (batch, seq), generator=generator)
    ids[:, 0], ids[:, -1] = 101, 102
    mask = torch.ones_like(ids)
    on_device = (ids.to(device), mask.to(device))

    def device_only():
        return model(input_ids=on_device[0], attention_mask=on_device[1]).last_hidden_state

    def host_io():
        out = model(input_ids=ids.to(device), attention_mask=mask.to(device)).last_hidden_state
        return out.float().cpu()

    return {
        "batch": batch,
        "seq": seq,
        "deviceSeqPerSec": batch / seconds_per_call(torch, device, device_only, min_seconds),
        "hostIoSeqPerSec": batch / seconds_per_call(torch, device, host_io, min_seconds),
    }


def seconds_per_call(torch, device, fn, min_seconds, warmup=3):
    for _ in range(warmup):
        fn()
    sync(torch, device)
    calls, start = 0, time.perf_counter()
    while calls < 5 or time.perf_counter() - start < min_seconds:
        fn()
        calls += 1
    sync(torch, device)
    return (time.perf_counter() - start) / calls


def time_texts(torch, model, device, data_dir, max_batch, limit=None):
    """The same length-sorted batches of the same word pieces as gpuBench.js's real-text pass."""
    with open(f"{data_dir}/corpus-tokens.json") as f:
        texts = json.load(f)["ids"][:limit]
    order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
    batches = [order[i : i + max_batch] for i in range(0, len(order), max_batch)]
    tensors = []
    for batch in batches:
        longest = max(len(texts[i]) for i in batch)
        ids = torch.zeros((len(batch), longest), dtype=torch.long)
        mask = torch.zeros_like(ids)
        for row, i in enumerate(batch):
            ids[row, : len(texts[i])] = torch.tensor(texts[i])
            mask[row, : len(texts[i])] = 1
        tensors.append((ids, mask))

    def one_pass():
        for ids, mask in tensors:
            model(input_ids=ids.to(device), attention_mask=mask.to(device)).last_hidden_state.float().cpu()

    seconds = seconds_per_call(torch, device, one_pass, 0, warmup=1)
    return {"texts": len(texts), "batches": len(batches), "textsPerSec": len(texts) / seconds}


def print_ratios(ort_file, torch_results):
    if not ort_file:
        return
    try:
        with open(ort_file) as f:
            ort = json.load(f)
    except (OSError, ValueError) as error:
        print(f"[ratio] no onnxruntime results to compare ({error})")
        return
    ort_shapes = {s["batch"]: s for s in ort.get("shapes", [])}
    print(f"[ratio] onnxruntime-node {ort.get('ep')} vs PyTorch {torch_results['dtype']} on {torch_results['device']}")
    print("[ratio] shape            ort seq/s   torch(host io)  torch(device)  ort/torch(host io)")
    for shape in torch_results["shapes"]:
        mine = ort_shapes.get(shape["batch"])
        if not mine:
            continue
        ratio = mine["seqPerSec"] / shape["hostIoSeqPerSec"]
        print(f"[ratio] bs {shape['batch']:>4} × {shape['seq']:<5} {mine['seqPerSec']:>11.0f}   {shape['hostIoSeqPerSec']:>14.0f}  {shape['deviceSeqPerSec']:>13.0f}  {ratio:>17.3f}")
    if "realText" in ort:
        ratio = ort["realText"]["textsPerSec"] / torch_results["realText"]["textsPerSec"]
        print(f"[ratio] real text  {ort['realText']['textsPerSec']:>11.0f} texts/s vs {torch_results['realText']['textsPerSec']:.0f}: {ratio:.3f}")


def sync(torch, device):
    if device == "cuda":
        torch.cuda.synchronize()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="the model's config.json")
    parser.add_argument("--data", required=True, help="directory with corpus-tokens.json")
    parser.add_argument("--ort-results", help="gpuBench.js --out file, for the ratio table")
    parser.add_argument("--batches", default="32,128,512")
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--text-batch", type=int, default=128)
    parser.add_argument("--texts", type=int, help="only the first N corpus texts, as gpuBench.js --texts")
    parser.add_argument("--min-seconds", type=float, default=2.0)
    parser.add_argument("--device", help="cuda when available, else cpu")
    parser.add_argument("--out")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
