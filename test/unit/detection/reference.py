#!/usr/bin/env python3
"""Reference values for the detection unit tests, from real PyTorch (Debian's torch 1.13).

    /usr/bin/python3 test/unit/detection/reference.py   # rewrites reference.json next to it

Each case is a small source the tests analyse. Python cases are executed as written and the
listed variables are recorded (tensors as Python floats: `.item()`, i.e. the float32 value as a
double). Cases in other languages (JavaScript, JSON, Markdown) carry a `torch` expression that
computes, with torch, what the detector should report for them. Error cases record torch's
exception message. Nothing here is computed by the TypeScript under test.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))

PY = {
    # Options and spellings.
    'method_log_softmax': (
        "import torch\nimport torch.nn.functional as F\n"
        "logits = torch.tensor([[1.0, 2.0, 0.5], [0.2, 0.1, 3.0]])\n"
        "target = torch.tensor([1, 2])\n"
        "loss = F.nll_loss(logits.log_softmax(dim=1), target)\n",
        ['loss']),
    'double_method': (
        "import torch\nimport torch.nn as nn\n"
        "logits = torch.tensor([[1.0, 2.0, 0.5], [0.2, 0.1, 3.0]]).double()\n"
        "target = torch.tensor([1, 2])\n"
        "loss = nn.CrossEntropyLoss()(logits, target)\n",
        ['loss']),
    'temperature': (
        "import torch\nimport torch.nn.functional as F\n"
        "logits = torch.tensor([[1.0, 2.0, 0.5], [0.2, 0.1, 3.0]])\n"
        "target = torch.tensor([1, 2])\n"
        "T = 2.0\n"
        "loss = F.cross_entropy(logits / T, target)\n",
        ['loss']),
    'view_unsqueeze': (
        "import torch\nimport torch.nn.functional as F\n"
        "logits = torch.tensor([0.3, 1.2, -0.4, 2.2, 0.0, 0.9]).view(2, 3)\n"
        "target = torch.tensor([2, 0])\n"
        "loss = F.cross_entropy(logits, target, reduction='sum')\n",
        ['loss']),
    'positional_weight': (
        "import torch\nimport torch.nn as nn\n"
        "w = torch.tensor([0.5, 1.0, 2.0])\n"
        "criterion = nn.CrossEntropyLoss(w, ignore_index=0)\n"
        "x = torch.tensor([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5], [0.0, 2.0, 1.0]])\n"
        "t = torch.tensor([0, 2, 1])\n"
        "loss = criterion(x, t)\n",
        ['loss']),
    'self_attribute': (
        "import torch\nimport torch.nn as nn\n"
        "class Demo:\n"
        "    def __init__(self):\n"
        "        self.criterion = nn.CrossEntropyLoss(label_smoothing=0.2)\n"
        "demo = Demo()\n"
        "logits = torch.tensor([[2.0, 0.0, -1.0]])\n"
        "labels = torch.tensor([0])\n"
        "criterion = nn.CrossEntropyLoss(label_smoothing=0.2)\n"
        "loss = criterion(logits, labels)\n",
        ['loss']),
    'function_scope': (
        "import torch\nimport torch.nn.functional as F\n"
        "logits = torch.tensor([[0.5, 0.5, 2.0]])\n"
        "labels = torch.tensor([2])\n"
        "def compute(logits, labels):\n"
        "    return F.cross_entropy(logits, labels)\n"
        "loss = F.cross_entropy(logits, labels)\n",
        ['loss']),
    'logsumexp_formula': (
        "import torch\n"
        "x = torch.tensor([1.5, -0.25, 0.75, 3.0], dtype=torch.float64)\n"
        "t = torch.tensor([2])\n"
        "loss = torch.logsumexp(x, 0) - x[t[0]]\n",
        ['loss']),
    'neglog_formula': (
        "import numpy as np\n"
        "x = np.array([1.5, -0.25, 0.75, 3.0])\n"
        "loss = -np.log(np.exp(x[1]) / np.sum(np.exp(x)))\n",
        ['loss']),
    'scalar_arith': (
        "import torch\nimport torch.nn as nn\n"
        "criterion = nn.CrossEntropyLoss()\n"
        "a = criterion(torch.tensor([[1.0, 0.0]]), torch.tensor([0]))\n"
        "b = criterion(torch.tensor([[0.0, 1.0, 2.0]]), torch.tensor([2]))\n"
        "total = 3 * a - b / 2\n",
        ['a', 'b', 'total']),
    'nonfinite_literals': (
        "import math\nimport numpy as np\nimport torch\nimport torch.nn.functional as F\n"
        "x = torch.tensor([[1.0, -np.inf, 0.25], [float('-inf'), 0.5, -math.inf]])\n"
        "y = torch.tensor([0, 1])\n"
        "loss = F.cross_entropy(x, y)\n",
        ['loss']),
    'kdim_none': (
        "import torch\nimport torch.nn.functional as F\n"
        "x = torch.tensor([[[0.1, 0.9], [1.1, -0.3], [0.0, 0.2]]])\n"
        "y = torch.tensor([[2, 0]])\n"
        "losses = F.cross_entropy(x, y, reduction='none')\n",
        ['losses']),
}

OTHER = {
    # JavaScript / TypeScript / JSON / Markdown sources, and the torch computation they stand for.
    'js_object_props': "F.cross_entropy(torch.tensor([[0.1, 2.0, -1.0], [1.5, 0.5, 0.0]]), torch.tensor([1, 0]))",
    'json_request': "F.cross_entropy(torch.tensor([[0.1, 2.0, -1.0], [1.5, 0.5, 0.0]], dtype=torch.float64), torch.tensor([1, 0]), reduction='sum', label_smoothing=0.1)",
    'pycon': "F.cross_entropy(torch.tensor([[1.0, 0.5, -0.5]]), torch.tensor([2]))",
    'notebook_api': "F.cross_entropy(torch.tensor([[0.25, 0.5, 0.75, 1.0]]), torch.tensor([3]))",
    'seed_single': "F.cross_entropy(torch.tensor([[0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544]]), torch.tensor([1]))",
    'seed_batch': "F.cross_entropy(torch.tensor([[0.8982, 0.805, 0.6393, 0.9983, 0.5731, 0.0469, 0.556, 0.1476, 0.8404, 0.5544], [0.9457, 0.0195, 0.9846, 0.3231, 0.1605, 0.3143, 0.9508, 0.2762, 0.7276, 0.4332]]), torch.tensor([1, 5]))",
}

# Messages torch gives for literals it cannot read.
RAGGED = {
    'row_short': "[[1.0, 2.0, 3.0], [4.0, 5.0]]",
    'row_long': "[[1.0], [2.0, 3.0]]",
    'number_then_list': "[1.0, [2.0]]",
    'list_then_number': "[[1.0], 2.0]",
}

# Python's repr of floats, for the claim formatter.
REPR = [2.143818427948945, 2.351937720511233, 1e-07, 1.5e+16, 123456789012345.6, 0.0001, 0.00012345, -0.0, 1e22, 5e-324]


def value(v):
    if isinstance(v, torch.Tensor):
        v = v.tolist()
    if isinstance(v, (np.floating, np.ndarray)):
        v = v.tolist()
    if isinstance(v, list):
        return [value(x) for x in v]
    v = float(v)
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    return v


def main():
    out = {'generator': 'test/unit/detection/reference.py', 'torch_version': torch.__version__, 'python': {}, 'other': {}, 'ragged': {}, 'repr': {}}
    for name, (src, names) in PY.items():
        ns = {}
        exec(compile(src, name, 'exec'), ns)
        out['python'][name] = {'source': src, 'values': {n: value(ns[n]) for n in names}}
    for name, expr in OTHER.items():
        out['other'][name] = {'torch': expr, 'value': value(eval(expr))}
    for name, lit in RAGGED.items():
        try:
            torch.tensor(eval(lit))
            msg = None
        except Exception as e:  # torch's own wording
            msg = str(e)
        out['ragged'][name] = {'literal': lit, 'message': msg}
    out['repr'] = {str(i): {'value': v, 'repr': repr(v)} for i, v in enumerate(REPR)}
    with open(os.path.join(HERE, 'reference.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
