"""The MoE suites of bench/run, mirroring bench/src/main/java/org/moelab/bench/MoeBenchmarks.java.

moe-layer: one MoE FFN layer, T=4096, d=256, hidden 1024 per expert, E=8, top-2 learned router (no bias), Mixtral
  semantics (softmax over the k selected logits), experts GELU-tanh with biases, the usual sparse PyTorch
  implementation (per expert: nonzero -> gather -> two Linear -> weighted index_add), forward + backward of an MSE
  loss. The notes measured 230-290 ms for this layer with 2 threads.
smoe-step: one SMoE-Dropout training step at the notebook's quick-preset sizes, built to match
  org.moelab.models.CausalTransformer.moeLanguageModel + SmoeDropout layer for layer: token embedding + learned positions,
  2 pre-norm blocks (separate q/k/v/out Linear with bias, causal softmax attention; LayerNorm; MoE FFN of N=8
  experts of 32 hidden, frozen random router Linear(d, N) with bias at k=4), residual dropout 0.1, final LayerNorm,
  head Linear(d, vocab) with bias; AdamW lr 2e-3, weight decay 0.01 on matrices only.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

import harness
from train_step import MultiHeadAttention


class Experts(nn.Module):
    """E FFN experts, each with its own parameters (as org.moelab.moe.Experts): an expert that no token reached in a
    step then has no gradient, and AdamW skips it (no momentum step, its own step count), as ours does. One stacked
    [E, d, h] tensor would give it a zero gradient slice instead, and a momentum step the Java engine does not take."""

    def __init__(self, n, d, h):
        super().__init__()
        b1, b2 = 1 / math.sqrt(d), 1 / math.sqrt(h)

        def uniform(bound, *shape):
            return nn.ParameterList(nn.Parameter(torch.empty(*shape).uniform_(-bound, bound)) for _ in range(n))

        self.w1, self.b1 = uniform(b1, d, h), uniform(b1, h)
        self.w2, self.b2 = uniform(b2, h, d), uniform(b2, d)

    def forward(self, x, idx, weights):
        out = torch.zeros_like(x)
        for e in range(len(self.w1)):
            token, slot = torch.nonzero(idx == e, as_tuple=True)
            if token.numel() == 0:
                continue
            h = F.gelu(x[token] @ self.w1[e] + self.b1[e], approximate="tanh")
            y = h @ self.w2[e] + self.b2[e]
            out.index_add_(0, token, y * weights[token, slot, None])
        return out


def load_balance(probs, idx):
    """Switch's E * sum_e f_e * P_e (AuxLosses.loadBalance): P = mean router probability, f_e = share of the routed
    (token, slot) pairs that went to expert e; idx [T, slots] holds the chosen expert per slot, -1 where none."""
    n = probs.shape[-1]
    counts = torch.stack([(idx == e).sum() for e in range(n)]).float()
    return n * (probs.mean(0) * counts / counts.sum().clamp(min=1)).sum()


class MoELayer(nn.Module):
    def __init__(self, d, n, h, k, router_bias=False, frozen=False):
        super().__init__()
        # k may change between steps (SMoE-Dropout's k schedule). last_routing and aux describe the last forward: the
        # trajectory check compares the routing with ours and adds the balance loss for a learned router.
        self.k = k
        self.last_routing, self.aux = None, None
        self.gate = nn.Linear(d, n, bias=router_bias)
        if frozen:
            nn.init.normal_(self.gate.weight, std=0.02)
            if router_bias:
                nn.init.zeros_(self.gate.bias)
            self.gate.requires_grad_(False)
        self.experts = Experts(n, d, h)

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        logits = self.gate(x)
        top, idx = logits.topk(self.k, dim=-1)
        self.last_routing, self.aux = idx, load_balance(torch.softmax(logits, dim=-1), idx)
        return self.experts(x, idx, torch.softmax(top, dim=-1)).reshape(shape)


class Block(nn.Module):
    def __init__(self, d, heads, n, h, k, dropout, frozen_router=True):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(d), MultiHeadAttention(d, heads)
        # SMoE-Dropout's frozen random router has a bias (TopKRouter.frozenRandom); a learned one has none (.learned).
        self.norm2 = nn.LayerNorm(d)
        self.moe = MoELayer(d, n, h, k, router_bias=frozen_router, frozen=frozen_router)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        x = x + self.drop(self.attn(self.norm1(x)))
        return x + self.drop(self.moe(self.norm2(x)))


class SmoeLanguageModel(nn.Module):
    """CausalTransformer.moeLanguageModel with an MoE FFN in every block: SMoE-Dropout's frozen router, or a learned top-k router."""

    def __init__(self, vocab, d, heads, layers, context, n, hidden, k, dropout, frozen_router=True):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(context, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d, heads, n, hidden // n, k, dropout, frozen_router) for _ in range(layers))
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, tokens):
        x = self.embed(tokens) + self.pos[: tokens.shape[1]]
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x))


def run_layer(h, info):
    torch.manual_seed(3)
    T, D, H, E, K = 4096, 256, 1024, 8, 2
    layer = MoELayer(D, E, H, K)
    x = torch.randn(T, D, requires_grad=True)
    target = torch.randn(T, D)

    def step():
        layer.zero_grad(set_to_none=True)
        x.grad = None
        F.mse_loss(layer(x), target).backward()

    useful = 3.0 * 2 * (2.0 * T * K * D * H)
    m = h.measure("moe layer fwd+bwd", "T4096 d256 h1024 E8 k2", useful, harness.TRAIN_STEP, step)
    a, b = torch.randn(T * K // E, D), torch.randn(D, H)
    peak = h.measure("gemm (expert shape)", "1024x256x1024", 2.0 * (T * K // E) * D * H, harness.MICRO, lambda: a @ b)
    info["torch.moe-layer.useful_gflops"] = "%.1f" % (useful / m.median_ms / 1e6)
    info["torch.moe-layer.gemm_peak_gflops"] = "%.1f" % (peak.flops / peak.median_ms / 1e6)
    info["torch.moe-layer.parameters"] = str(sum(p.numel() for p in layer.parameters()))


def run_smoe_step(h, info):
    torch.manual_seed(7)
    vocab, batch, time = 75, 16, 64
    model = SmoeLanguageModel(vocab, 64, 4, 2, time, 8, 256, 4, 0.1)
    decay = [p for p in model.parameters() if p.requires_grad and p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.requires_grad and p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=2e-3)
    g = torch.Generator().manual_seed(11)
    tokens = torch.randint(vocab, (batch, time), generator=g)
    targets = torch.randint(vocab, (batch, time), generator=g)

    def step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(tokens).reshape(-1, vocab), targets.reshape(-1)).backward()
        optimizer.step()

    info["torch.smoe-step.parameters"] = str(sum(p.numel() for p in model.parameters()))
    h.measure("train step smoe-dropout", "d64 T64 B16 N8 k4", 0, harness.TRAIN_STEP, step)
