"""One training step (forward + backward + AdamW) of a small causal transformer LM, built to match
org.moelab.models.CausalTransformer (builder()) layer for layer, so that parameter counts and FLOPs are identical:

  token Embedding [vocab, d] (N(0,1)) + learned positions [T, d] (N(0, 0.02^2))
  N x pre-norm block:  x + out(attn(q(ln1 x), k(ln1 x), v(ln1 x)))  then  x + down(gelu_tanh(up(ln2 x)))
       separate q, k, v, out Linear(d, d) with bias; FFN hidden 4d with bias; LayerNorm eps 1e-5; no dropout
  final LayerNorm, untied head Linear(d, vocab, bias=False); mean next-token cross-entropy.

Attention is written out (q k^T / sqrt(dh), causal mask, softmax, @ v) because PyTorch 1.13 has no fused
scaled_dot_product_attention. AdamW: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01 on matrices
only (rank >= 2, not biases or norm gains), as org.moelab.train.AdamW with WeightDecayPolicy.MATRICES_ONLY.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

import harness

CONFIGS = {
    # name: (layers, d_model, heads, time, batch, vocab)
    "lm-small": dict(name="lm-small", layers=2, d_model=64, heads=4, time=64, batch=32, vocab=128),
    "lm-large": dict(name="lm-large", layers=2, d_model=256, heads=4, time=128, batch=32, vocab=128),
}


class MultiHeadAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.q, self.k, self.v, self.out = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x):
        b, t, d = x.shape

        def split(y):
            return y.view(b, t, self.heads, self.dh).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.dh))
        mask = torch.ones(t, t, dtype=torch.bool).triu(1)
        p = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
        o = (p @ v).transpose(1, 2).reshape(b, t, d)
        return self.out(o)


class FeedForward(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.up, self.down = nn.Linear(d, hidden), nn.Linear(hidden, d)

    def forward(self, x):
        return self.down(F.gelu(self.up(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(d), MultiHeadAttention(d, heads)
        self.norm2, self.ffn = nn.LayerNorm(d), FeedForward(d, 4 * d)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.ffn(self.norm2(x))


class CausalTransformer(nn.Module):
    def __init__(self, vocab, d, heads, layers, max_len):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(max_len, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, tokens):
        t = tokens.shape[1]
        x = self.embed(tokens) + self.pos[:t]
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x))

    def loss(self, tokens, targets):
        logits = self.forward(tokens)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def adamw(model, lr=1e-3, weight_decay=0.01):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (decay if p.dim() >= 2 and not name.endswith("bias") else no_decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.999), eps=1e-8)


def train_step_flops(c):
    """Matmul FLOPs of one step: 3x the forward (backward = two GEMMs per forward GEMM)."""
    d, t, b, v, n = c["d_model"], c["time"], c["batch"], c["vocab"], c["layers"]
    tokens = b * t
    per_layer = 2 * tokens * (4 * d * d + 2 * d * 4 * d) + 2 * 2 * b * t * t * d
    return 3.0 * (n * per_layer + 2 * tokens * d * v)


def run(h, c, info):
    torch.manual_seed(7)
    model = CausalTransformer(c["vocab"], c["d_model"], c["heads"], c["layers"], c["time"])
    opt = adamw(model)
    g = torch.Generator().manual_seed(11)
    data = torch.randint(0, c["vocab"], (c["batch"], c["time"] + 1), generator=g)
    tokens, targets = data[:, :-1].contiguous(), data[:, 1:].contiguous()
    info["torch.%s.parameters" % c["name"]] = str(sum(p.numel() for p in model.parameters()))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = model.loss(tokens, targets)
        loss.backward()
        opt.step()
        return loss

    info["torch.%s.first_loss" % c["name"]] = "%.4f" % step().item()
    size = "d%d T%d B%d" % (c["d_model"], c["time"], c["batch"])
    h.measure("train step %s" % c["name"], size, train_step_flops(c), harness.TRAIN_STEP, step)
