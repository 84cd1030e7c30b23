"""FastEmbed on the same local all-MiniLM-L6-v2 files, timed like the Node systems.

Called by bench/encoder/systems/fastEmbed.ts with the venv's Python. Registers the local
directory as a custom model (mean pooling + L2 normalization, onnx/model.onnx) and loads it with
`specific_model_path`, so nothing is downloaded. Writes <out>.json (times, versions) and
<out>.f32 (the warm-up pass's vectors, row-major float32). Like bench/encoder/timing.ts, a pass
during which other processes took more than --max-foreign of the CPUs is run again (see
cpuMeter.ts for the /proc arithmetic).
"""

import argparse
import json
import os
import time
from importlib.metadata import version

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402
from fastembed import TextEmbedding  # noqa: E402
from fastembed.common.model_description import ModelSource, PoolingType  # noqa: E402

MODEL_NAME = "embedline-local/all-MiniLM-L6-v2"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", required=True)
    parser.add_argument("--max-foreign", type=float, default=1.0)
    parser.add_argument("--max-passes", type=float, default=float("inf"))
    args = parser.parse_args()

    with open(args.corpus, encoding="utf-8") as corpus:
        texts = [json.loads(line)["text"] for line in corpus if line.strip()]

    TextEmbedding.add_custom_model(
        model=MODEL_NAME,
        pooling=PoolingType.MEAN,
        normalization=True,
        sources=ModelSource(hf=MODEL_NAME),
        dim=384,
        model_file="onnx/model.onnx",
    )
    model = TextEmbedding(MODEL_NAME, threads=args.threads, specific_model_path=args.model_dir)

    def one_pass() -> np.ndarray:
        return np.stack(list(model.embed(texts, batch_size=args.batch_size)))

    first = one_pass()
    times_ms: list[float] = []
    discarded = 0
    foreign = 0.0
    while len(times_ms) < args.runs:
        before = cpu_ticks()
        start = time.perf_counter()
        one_pass()
        elapsed = (time.perf_counter() - start) * 1000
        share = foreign_share(before, cpu_ticks())
        if share > args.max_foreign and discarded < args.max_passes - args.runs:
            discarded += 1
            continue
        times_ms.append(elapsed)
        foreign = max(foreign, share)

    first.astype(np.float32).tofile(f"{args.out}.f32")
    versions = {name: version(name) for name in ("fastembed", "onnxruntime", "tokenizers", "numpy")}
    with open(f"{args.out}.json", "w", encoding="utf-8") as out:
        report = {"times_ms": times_ms, "discarded": discarded, "foreign": foreign, "rows": int(first.shape[0])}
        json.dump({**report, "versions": versions}, out)


def cpu_ticks() -> tuple[int, int, int]:
    """(all CPUs' total ticks, their busy ticks, this process's own ticks)."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(v) for v in stat.readline().split()[1:9]]
    total = sum(fields)
    busy = total - fields[3] - fields[4]
    with open("/proc/self/stat", encoding="ascii") as own:
        rest = own.read().rsplit(")", 1)[1].split()
    return total, busy, sum(int(v) for v in rest[11:15])


def foreign_share(before: tuple[int, int, int], after: tuple[int, int, int]) -> float:
    total = after[0] - before[0]
    if total <= 0:
        return 0.0
    return max(0.0, (after[1] - before[1] - (after[2] - before[2])) / total)


if __name__ == "__main__":
    main()
