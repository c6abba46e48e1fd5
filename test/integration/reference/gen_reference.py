#!/usr/bin/env python3
"""Reference values for the integration suite, from real PyTorch.

Runs every fixture of test/fixtures/workspace that the suite asserts numbers on (the Python files
and the Python code of the notebook and the Markdown tutorial, plus the JS/JSON data through
torch) and writes test/integration/reference/reference.json. The suite never invents a number:
it reads them from that file.

    /usr/bin/python3 test/integration/reference/gen_reference.py

Deterministic: the same torch gives the same file.
"""
import json
import os
import re

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
WORKSPACE = os.path.join(HERE, '..', '..', 'fixtures', 'workspace')


def run_python(source):
    """Executes fixture code as a script would run and returns its namespace."""
    namespace = {'__name__': '__main__'}
    # print() output is not needed; the values are read from the namespace.
    namespace['print'] = lambda *a, **k: None
    exec(compile(source, '<fixture>', 'exec'), namespace)
    return namespace


def pair_values(output, target, loss, **kw):
    """What the suite checks for one pair: the loss as torch holds and prints it, per-sample losses, softmax rows."""
    x = output if output.dim() > 1 else output.unsqueeze(0)
    t = target if target.dim() > 0 else target.unsqueeze(0)
    per_sample = F.cross_entropy(x, t, reduction='none', **kw)
    softmax = torch.softmax(x, dim=1)
    return {
        'loss': loss.item(),
        'printed': str(loss.detach()),
        'dtype': str(x.dtype).replace('torch.', ''),
        'losses': per_sample.tolist(),
        'softmax': softmax.tolist(),
        'logSoftmax': torch.log_softmax(x, dim=1).tolist(),
        'target': t.tolist(),
        'pTarget': [softmax[i, int(t[i])].item() for i in range(t.shape[0])],
    }


def in_float64(source):
    """The same code run with float64 as torch's default dtype: what `lossInspector.dtype: float64` means
    (the literals parsed straight to float64, not float32 values widened afterwards)."""
    torch.set_default_dtype(torch.float64)
    try:
        return run_python(source)
    finally:
        torch.set_default_dtype(torch.float32)


def python_file(name):
    source = open(os.path.join(WORKSPACE, name)).read()
    ns = run_python(source)
    values = pair_values(ns['output'], ns['target'], ns['loss'])
    wide = in_float64(source)
    values['float64Loss'] = wide['loss'].item()
    values['float64Printed'] = str(wide['loss'])
    return values


def main():
    ref = {'torch': torch.__version__}
    for name in ('seed.py', 'seed_batch.py', 'batch_wrong_claim.py', 'wrong_claim.py'):
        ref[name] = python_file(name)

    # torch's own words for the out-of-range target.
    try:
        run_python(open(os.path.join(WORKSPACE, 'target_out_of_range.py')).read())
        raise SystemExit('target_out_of_range.py did not raise')
    except IndexError as err:
        ref['target_out_of_range.py'] = {'error': str(err)}

    ns = run_python(open(os.path.join(WORKSPACE, 'softmax_twice.py')).read())
    ref['softmax_twice.py'] = {'loss': ns['loss'].item(), 'printed': str(ns['loss'])}
    ns = run_python(open(os.path.join(WORKSPACE, 'nll_raw_logits.py')).read())
    ref['nll_raw_logits.py'] = {'loss': ns['loss'].item(), 'printed': str(ns['loss'])}

    # The notebook: code cells in order, as Jupyter runs them. The batch pair is defined before the formula cell reassigns output/target.
    nb = json.load(open(os.path.join(WORKSPACE, 'seed_batch.ipynb')))
    ns = {'__name__': '__main__', 'print': lambda *a, **k: None}
    batch = None
    for cell in nb['cells']:
        if cell['cell_type'] != 'code':
            continue
        exec(compile(''.join(cell['source']), '<cell>', 'exec'), ns)
        if batch is None and 'loss' in ns:
            batch = pair_values(ns['output'], ns['target'], ns['loss'])
    ref['seed_batch.ipynb'] = batch

    # The Markdown tutorial: its python blocks in order.
    md = open(os.path.join(WORKSPACE, 'tutorial.md')).read()
    ns = {'__name__': '__main__', 'print': lambda *a, **k: None}
    for block in re.findall(r'```python\n(.*?)```', md, re.S):
        exec(compile(block, '<md>', 'exec'), ns)
    ref['tutorial.md'] = {
        'first': pair_values(ns['logits'], ns['target'], ns['loss']),
        'batch': pair_values(ns['batch_logits'], ns['batch_target'], ns['batch_loss']),
    }

    # JSON and JS data go through torch with the dtype their containers imply.
    data = json.load(open(os.path.join(WORKSPACE, 'logits_labels.json')))
    logits = torch.tensor(data['logits'], dtype=torch.float64)  # JSON numbers are doubles
    labels = torch.tensor(data['labels'])
    ref['logits_labels.json'] = pair_values(logits, labels, F.cross_entropy(logits, labels))
    js = open(os.path.join(WORKSPACE, 'typed_arrays.js')).read()
    values = [float(v) for v in re.search(r'Float32Array\(\[(.*?)\]\)', js).group(1).split(',')]
    label = [int(v) for v in re.search(r'Int32Array\(\[(.*?)\]\)', js).group(1).split(',')]
    out = torch.tensor([values], dtype=torch.float32)
    tgt = torch.tensor(label)
    ref['typed_arrays.js'] = pair_values(out, tgt, F.cross_entropy(out, tgt))

    path = os.path.join(HERE, 'reference.json')
    with open(path, 'w') as f:
        json.dump(ref, f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.relpath(path)}')


if __name__ == '__main__':
    main()
