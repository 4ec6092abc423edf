"""The evomoe-step suite of bench/run, mirroring bench/src/main/java/org/moelab/bench/EvoMoeBenchmarks.java.

One EvoMoE phase-B training step at the notebook's quick-preset sizes, built to match
org.moelab.models.CausalTransformer.moeLanguageModel + EvoMoE layer for layer: token embedding + learned positions, 2 pre-norm blocks
(separate q/k/v/out Linear with bias, causal softmax attention; LayerNorm); block 0 a dense FFN of 96 (GELU-tanh,
biases), block 1 an MoE of E=4 experts of 96 behind the dense-to-sparse gate (bias-free Linear(d, E); fresh Gumbel
noise per token and step; g = softmax((s + noise) / tau); keep g > 1e-3, or the noisy argmax in the hard phase;
combine with g, no renormalisation; Switch balance loss 0.01 on g); no dropout; final LayerNorm, head
Linear(d, vocab) with bias; AdamW lr 3e-3, weight decay 0.01 on matrices only. Measured at tau = 2 (all 4 experts
per token) and in the hard top-1 phase. Vocab 33, batch 16 x 32 tokens.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import harness
from moe import Experts, load_balance
from train_step import FeedForward, MultiHeadAttention


class DenseToSparseGate(nn.Module):
    def __init__(self, d, n, threshold=1e-3):
        super().__init__()
        self.gate = nn.Linear(d, n, bias=False)
        self.threshold, self.tau, self.hard = threshold, 2.0, False
        self.noise = None   # Gumbel noise [T, E] for the next forward; None: draw it (the trajectory check replays ours)

    def forward(self, x):
        logits = self.gate(x)
        if self.noise is None:
            u = torch.rand_like(logits).clamp_(1e-10, 1 - 1e-10)
            noise = -torch.log(-torch.log(u))
        else:
            noise = self.noise
        g = torch.softmax((logits + noise) / self.tau, dim=-1)
        if self.hard:
            keep = F.one_hot(g.argmax(dim=-1), g.shape[-1]).bool()
        else:
            keep = g > self.threshold
        # Pairs (token, slot) as the Experts helper wants them: slot = expert index, weight 0 where not kept.
        n = g.shape[-1]
        idx = torch.where(keep, torch.arange(n).expand_as(g), torch.full_like(keep, -1, dtype=torch.long))
        weights = g * keep
        return idx, weights, load_balance(g, idx)


class MoELayer(nn.Module):
    def __init__(self, d, n, h):
        super().__init__()
        self.router = DenseToSparseGate(d, n)
        self.experts = Experts(n, d, h)
        self.aux, self.last_routing = None, None   # of the last forward: balance loss, expert per (token, slot) or -1

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        idx, weights, self.aux = self.router(x)
        self.last_routing = idx
        return self.experts(x, idx, weights).reshape(shape)


class Block(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(d), MultiHeadAttention(d, heads)
        self.norm2, self.ffn = nn.LayerNorm(d), ffn

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.ffn(self.norm2(x))


class EvoMoeLanguageModel(nn.Module):
    def __init__(self, vocab=33, d=48, heads=4, context=32, experts=4, hidden=96):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(context, d) * 0.02)
        self.moe = MoELayer(d, experts, hidden)
        self.blocks = nn.ModuleList([Block(d, heads, FeedForward(d, hidden)), Block(d, heads, self.moe)])
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, tokens):
        x = self.embed(tokens) + self.pos[: tokens.shape[1]]
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x))


def loss(model, tokens, targets, balance=0.01):
    """EvoMoE.loss in phase B: next-token cross-entropy plus the weighted balance loss of the gate."""
    logits = model(tokens)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1)) + balance * model.moe.aux


def run(h, info):
    torch.manual_seed(7)
    vocab, batch, time = 33, 16, 32
    model = EvoMoeLanguageModel(vocab)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=3e-3)
    g = torch.Generator().manual_seed(11)
    tokens = torch.randint(vocab, (batch, time), generator=g)
    targets = torch.randint(vocab, (batch, time), generator=g)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss(model, tokens, targets).backward()
        optimizer.step()

    info["torch.evomoe-step.parameters"] = str(sum(p.numel() for p in model.parameters()))
    h.measure("train step evomoe τ=2", "d48 T32 B16 E4 all", 0, harness.TRAIN_STEP, step)
    model.moe.router.hard = True
    h.measure("train step evomoe top-1", "d48 T32 B16 E4 k1", 0, harness.TRAIN_STEP, step)
