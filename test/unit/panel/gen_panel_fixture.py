"""Reference numbers for the panel's pure builders (src/panel/panelState.ts, torchPrint.ts).

Run with Debian's torch:  /usr/bin/python3 test/unit/panel/gen_panel_fixture.py
It writes panelFixture.json beside this file. Every expected value in the panel tests comes
from here, never from our own code.
"""
import json
import math
import os

import torch

torch.manual_seed(0)

SEED_ROW = [0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544]
SEED_ROW2 = [0.9457, 0.0195, 0.9846, 0.3231, 0.1605, 0.3143, 0.9508, 0.2762, 0.7276, 0.4332]


def num(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def nums(t):
    return [num(v) for v in t.reshape(-1).tolist()]


def steps(x, target, dtype, reduction="mean", weight=None, label_smoothing=0.0, ignore_index=-100):
    """Per-sample steps and the reduced loss and gradient, all from torch."""
    x = torch.tensor(x, dtype=dtype, requires_grad=True)
    t = torch.tensor(target, dtype=torch.long)
    w = None if weight is None else torch.tensor(weight, dtype=dtype)
    crit = torch.nn.CrossEntropyLoss(weight=w, reduction=reduction, label_smoothing=label_smoothing, ignore_index=ignore_index)
    loss = crit(x, t)
    none = torch.nn.CrossEntropyLoss(weight=w, reduction="none", label_smoothing=label_smoothing, ignore_index=ignore_index)(x, t)
    (loss.sum() if reduction == "none" else loss).backward()
    xd = x.detach()
    m = xd.max(dim=1, keepdim=True).values
    shifted = xd - m
    e = torch.exp(shifted)
    s = e.sum(dim=1, keepdim=True)
    return {
        "dtype": "float32" if dtype == torch.float32 else "float64",
        "reduction": reduction,
        "input": nums(xd),
        "shape": list(xd.shape),
        "target": target,
        "weight": weight,
        "labelSmoothing": label_smoothing,
        "ignoreIndex": ignore_index,
        "max": nums(m),
        "shifted": nums(shifted),
        "exp": nums(e),
        "sumExp": nums(s),
        "softmax": nums(torch.softmax(xd, dim=1)),
        "logSoftmax": nums(torch.log_softmax(xd, dim=1)),
        "losses": nums(none.detach()),
        "loss": num(loss.detach().sum()),
        "grad": nums(x.grad),
        "print": str(loss.detach()),
    }


def naive_vs_shifted(row, k):
    """float32: exp(x + k) / Σ exp(x + k) (overflows past ~88.72) against softmax(x + k)."""
    x = torch.tensor(row, dtype=torch.float32) + torch.tensor(k, dtype=torch.float32)
    e = torch.exp(x)
    s = e.sum()
    naive = e / s
    return {
        "shift": k,
        "shiftedLogits": nums(x),
        "naiveExp": nums(e),
        "naiveSum": num(s),
        "naiveSoftmax": nums(naive),
        "stableSoftmax": nums(torch.softmax(x, dim=0)),
    }


out = {
    "generator": "test/unit/panel/gen_panel_fixture.py",
    "torch": torch.__version__,
    "seedSingle": {
        "float32": steps([SEED_ROW], [1], torch.float32),
        "float64": steps([SEED_ROW], [1], torch.float64),
    },
    "seedBatch": {
        "float32": steps([SEED_ROW, SEED_ROW2], [1, 5], torch.float32),
        "float64": steps([SEED_ROW, SEED_ROW2], [1, 5], torch.float64),
        "sum32": steps([SEED_ROW, SEED_ROW2], [1, 5], torch.float32, reduction="sum"),
        "none32": steps([SEED_ROW, SEED_ROW2], [1, 5], torch.float32, reduction="none"),
        "weightedSmoothed32": steps([SEED_ROW, SEED_ROW2], [1, 5], torch.float32,
                                    weight=[1.0, 2.0, 0.5, 1.0, 1.0, 3.0, 1.0, 1.0, 1.0, 1.0], label_smoothing=0.1),
        "ignored32": steps([SEED_ROW, SEED_ROW2], [1, -100], torch.float32),
    },
    "stability": [naive_vs_shifted(SEED_ROW, k) for k in [0.0, 50.0, 87.0, 88.0, 100.0, 1000.0, -200.0]],
}

# A wider batch for top-k selection and the heat map: N = 6, C = 50.
wide = torch.randn(6, 50) * 3
wide_t = [int(v) for v in torch.randint(0, 50, (6,)).tolist()]
out["wide"] = steps(wide.tolist(), wide_t, torch.float32)

# How torch prints tensors that the reduction card shows.
prints = []
def add_print(values, shape, dtype):
    t = torch.tensor(values, dtype=dtype).reshape(shape)
    prints.append({"values": nums(t), "shape": list(shape), "dtype": "float32" if dtype == torch.float32 else "float64", "text": str(t)})

add_print([2.1437, 2.5601], [2], torch.float32)
add_print([2.1437, 2.5601], [2], torch.float64)
add_print([1.0, 2.0, 3.0], [3], torch.float32)
add_print([1e-5, 2.0, 3.5], [3], torch.float32)
add_print([0.0, 0.5, float("nan"), float("inf")], [4], torch.float32)
add_print([2.0], [], torch.float32)
add_print([123456789.0], [], torch.float32)
add_print([1.5e-7], [], torch.float32)
add_print((torch.rand(30) * 5).tolist(), [30], torch.float32)
add_print((torch.rand(12) * 5).tolist(), [3, 4], torch.float32)
add_print((torch.rand(1500) * 5).tolist(), [1500], torch.float32)
add_print((torch.rand(2, 600) * 5).tolist(), [2, 600], torch.float32)
add_print([0.0, 0.0], [2], torch.float32)
add_print([-1.25, 3.5], [2], torch.float32)
out["prints"] = prints

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "panelFixture.json"), "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.join(here, "panelFixture.json"))
