# The program the live-transfer bench (test/bench/live.ts) pauses under debugpy: three training
# steps whose logits are built at run time, each stopping on the line after its loss call.
import torch
import torch.nn.functional as F

torch.manual_seed(0)


def small():
    logits = torch.randn(64, 1000)
    labels = torch.randint(0, 1000, (64,))
    loss = F.cross_entropy(logits, labels)
    return loss  # BENCH:small


def gpt2_vocab():
    logits = torch.randn(64, 50257)
    labels = torch.randint(0, 50257, (64,))
    loss = F.cross_entropy(logits, labels)
    return loss  # BENCH:vocab


def long_context():
    # (8, 1024, 50257) bfloat16: 823 MB in the program, 1.6 GB as float32 — over any transfer budget.
    logits = torch.empty(8, 1024, 50257, dtype=torch.bfloat16).normal_()
    labels = torch.randint(0, 50257, (8, 1024))
    # Paused on the loss line itself: the bench ends the program there, so torch's own pass over
    # the 411 M logits (seconds on one CPU thread) never runs.
    loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1))  # BENCH:long
    return loss


small()
gpt2_vocab()
long_context()
